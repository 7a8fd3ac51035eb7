"""dump_yaml writes the bytes yaml.safe_dump writes, with libyaml where that is known to be so."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario import load_scenario
from sim.scenario.loader import dump_yaml

OPTIONS = {"sort_keys": False, "allow_unicode": True, "width": 100}

# Long strings mixing the characters that decide the emitters' quoting and folding: quotes,
# YAML indicators, non-ASCII letters, and the ones that force the double-quoted style.
TEXT = st.text(alphabet=st.sampled_from(list("ab z:#-'\"{}[],&*!|>%@`é€日\u00a0\n\t\u2028\x85")))
DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=1000, deadline=None)
@given(DATA)
def test_dump_yaml_is_safe_dump_byte_for_byte(data):
    assert dump_yaml(data) == yaml.safe_dump(data, **OPTIONS)


def test_dump_yaml_keeps_safe_dump_where_libyaml_folds_differently():
    # a long double-quoted string: the two emitters break its line at different places
    data = {"name": "a\tb " * 40 + "é" * 30}
    assert dump_yaml(data) == yaml.safe_dump(data, **OPTIONS)


def test_flagship_resolved_scenario_unchanged():
    scenario = load_scenario("scenarios/astana_2017.yaml").scenario
    data = scenario.model_dump(mode="python", exclude={"history", "history_sha256"})
    assert dump_yaml(data) == yaml.safe_dump(data, **OPTIONS)


def test_dump_yaml_long_keys_as_safe_dump():
    # libyaml measures a simple key's 128-long limit in bytes, PyYAML in characters
    for n in (32, 33, 64, 100, 127, 128, 129, 200):
        for key in ("k" * n, "é" * n, "日" * n, "a " * n):
            data = {key: [1], "x": {key: "y"}}
            assert dump_yaml(data) == yaml.safe_dump(data, **OPTIONS), (n, key[:3])
