"""GMF301 map-insert-during-range: the shapes the golden cases do not pin down."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.map_insert_during_range import MapInsertDuringRange

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.apply import fix_to_convergence
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.goversion import GoVersion

HEADER = "package p\n\n"


def _options(minor: int) -> AnalysisOptions:
    return AnalysisOptions(codemods=(MapInsertDuringRange,), go_version=GoVersion(1, minor))


def findings(src: str, minor: int = 24, other: str = "") -> list[Finding]:
    text = (HEADER + textwrap.dedent(src)).encode()
    texts = {"p.go": text}
    if other:
        texts["q.go"] = (HEADER + textwrap.dedent(other)).encode()
    result = analyze_directory(Path("/tmp/p"), texts, ["p.go"], _options(minor))
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


def fixed(src: str, minor: int = 24) -> str:
    text = (HEADER + textwrap.dedent(src)).encode()

    def analyze(texts: dict[str, bytes]):  # type: ignore[no-untyped-def]
        return analyze_directory(Path("/tmp/p"), texts, list(texts), _options(minor))

    outcome = fix_to_convergence({"p.go": text}, analyze, unsafe_fixes=True)
    return outcome.texts["p.go"].decode()


def lines(found: list[Finding]) -> list[int]:
    return [f.location.line for f in found]


@pytest.mark.parametrize(
    "body",
    [
        "if v > 1 {\n\t\tdelete(m, k)\n\t}",  # filter-delete: defined behaviour
        "m[k] = v + 1",  # the current entry
        "m[k]++",
        "m[(k)] += v",
        'n[k+"x"] = v',  # another map
        'f := func() { m[k+"x"] = v }\n\tf()',  # inside a func literal
        'if v > 1 {\n\t\tm[k+"x"] = v\n\t\treturn\n\t}',  # loop ends right after
        'if v > 1 {\n\t\tm[k+"x"] = v\n\t\tbreak\n\t}',
        'm[k+"x"] = v\n\tpanic("stop")',
        'for i := 0; i < v; i++ {\n\t\tm[k+"x"] = i\n\t}\n\treturn',  # inner loop, then return
        'm = map[string]int{}\n\tm[k+"x"] = v',  # m re-pointed first
    ],
)
def test_silent(body: str) -> None:
    src = f"func f(m, n map[string]int) {{\n\tfor k, v := range m {{\n\t{body}\n\t}}\n}}\n"
    assert findings(src) == []


@pytest.mark.parametrize(
    "body",
    [
        'm[k+"x"] = v',
        'm["total"] += v',
        'm["n"]++',
        'm[k+"x"], _ = v, 0',
        # break leaves the switch, not the loop: later iterations still run
        'switch k {\n\tcase "a":\n\t\tm["b"] = v\n\t\tbreak\n\t}',
        # a continue before the return skips it
        'm[k+"x"] = v\n\tif v > 0 {\n\t\tcontinue\n\t}\n\treturn',
        # the inner loop can continue the outer one before the return
        "for i := 0; i < v; i++ {\n\t\tif i > 2 {\n\t\t\tcontinue outer\n\t\t}\n"
        '\t\tm[k+"x"] = i\n\t}\n\treturn',
        # k is rebound: m[k] is then another key
        'k = k + "!"\n\tm[k] = v',
        # a new k shadows the range key
        'if k := k + "!"; v > 0 {\n\t\tm[k] = v\n\t}',
    ],
)
def test_reported(body: str) -> None:
    src = (
        f"func f(m, n map[string]int) {{\nouter:\n\tfor k, v := range m {{\n\t{body}\n\t}}\n"
        "\t_ = n\n\tgoto outer\n}\n"
    )
    found = findings(src)
    assert len(found) == 1, found
    assert found[0].code == "GMF301"
    assert found[0].message.startswith("map insert during range over m")


def test_rekey_is_named_and_related_points_at_the_write() -> None:
    found = findings(
        """
        func f(m map[string]int) {
        	for k, v := range m {
        		delete(m, k)
        		m[k+"x"] = v
        		m[k+"y"] = v
        	}
        }
        """
    )
    assert len(found) == 1
    assert "re-key" in found[0].message
    assert [r.location.line for r in found[0].related] == [7, 8]
    assert found[0].location.line == 5  # the for statement
    assert found[0].fix is not None
    assert found[0].fix.applicability is Applicability.UNSAFE


def test_map_type_must_be_visible_or_proven_by_delete() -> None:
    src = """
    import "net/url"

    func f(q url.Values) {
    	for k := range q {
    		q[k+"x"] = nil
    	}
    }

    func g(q url.Values) {
    	for k := range q {
    		delete(q, k)
    		q[k+"x"] = nil
    	}
    }

    func h(s []int) {
    	for i := range s {
    		s[i+1] = 0
    	}
    }
    """
    found = findings(src, 22)
    assert lines(found) == [13]
    assert "the type of q is not visible" in found[0].message
    assert found[0].fix is None
    assert findings(src, 23)[0].fix is not None


def test_nested_loops_over_the_same_map_are_both_reported() -> None:
    src = """
    func f(m map[int]int) {
    	for a := range m {
    		for b := range m {
    			m[a+b] = 1
    		}
    	}
    }
    """
    assert lines(findings(src)) == [5, 6]
    out = fixed(src, 20)
    assert out.count(":= make([]int, 0, len(m))") == 2
    assert "for _, a := range keys" in out or "for _, a := range keys2" in out


def test_shadowed_maps_package_falls_back_to_manual_form() -> None:
    out = fixed(
        """
        func f(m map[string]int) {
        	maps := 1
        	_ = maps
        	for k := range m {
        		m[k+"x"] = 1
        	}
        }
        """
    )
    assert "slices.Collect" not in out
    assert "keys := make([]string, 0, len(m))" in out


def test_other_package_named_maps_falls_back_to_manual_form() -> None:
    out = fixed(
        """
        import "golang.org/x/exp/maps"

        var _ = maps.Keys[map[int]int]

        func f(m map[string]int) {
        	for k, v := range m {
        		m[k+"x"] = v
        	}
        }
        """
    )
    assert "Clone" not in out
    assert "\t\tv := m[k]\n" in out


def test_manual_names_avoid_existing_identifiers_and_each_other() -> None:
    out = fixed(
        """
        func f(m map[string]int, keys []string) {
        	for k := range m {
        		m[k+"1"] = 1
        	}
        	for k := range m {
        		m[k+"2"] = 1
        	}
        	_ = keys
        }
        """,
        20,
    )
    assert "keys2 := make([]string, 0, len(m))" in out
    assert "keys3 := make([]string, 0, len(m))" in out


def test_value_only_manual_form_uses_a_fresh_key_name() -> None:
    out = fixed(
        """
        func f(m map[int]int, k int) {
        	for _, v := range m {
        		m[v+k] = v
        	}
        }
        """,
        20,
    )
    assert "for k2 := range m {" in out
    assert "for _, k2 := range keys {\n\t\tv := m[k2]\n" in out


def test_one_line_body_gets_no_manual_value_fix() -> None:
    found = findings("func f(m map[int]int) {\n\tfor k, v := range m { m[k+1] = v }\n}\n", 20)
    assert len(found) == 1
    assert found[0].fix is None
    assert "on one line" in found[0].message


def test_type_parameter_key_is_usable_in_manual_form() -> None:
    out = fixed(
        """
        func f[K comparable](m map[K]int, next func(K) K) {
        	for k := range m {
        		m[next(k)] = 1
        	}
        }
        """,
        20,
    )
    assert "keys := make([]K, 0, len(m))" in out


def test_qualified_key_type_is_usable_when_its_package_is_imported() -> None:
    src = """
    import "time"

    type sched struct {
    	at map[time.Duration]int
    }

    func (s *sched) f() {
    	for d := range s.at {
    		s.at[d*2] = 1
    	}
    }
    """
    assert "keys := make([]time.Duration, 0, len(s.at))" in fixed(src, 20)


def test_never_emits_range_maps_keys_alone() -> None:
    out = fixed(
        """
        func f(m map[string]int) {
        	for k := range m {
        		m[k+"x"] = 1
        	}
        }
        """
    )
    assert "range slices.Collect(maps.Keys(m))" in out
    assert "range maps.Keys(" not in out


def test_key_type_from_a_package_this_file_does_not_import_gets_no_manual_fix() -> None:
    other = """
    import "time"

    type sched struct {
    	at map[time.Duration]int
    }
    """
    src = """
    func (s *sched) f() {
    	for d := range s.at {
    		s.at[d*2] = 1
    	}
    }
    """
    found = findings(src, 20, other)
    assert len(found) == 1
    assert found[0].fix is None
    assert "key type time.Duration of s.at cannot be named here" in found[0].message
