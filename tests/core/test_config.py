"""`hipaa-scan.toml`: rule parameters, selection and PHI tags; bad keys are input errors."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from rules import load_rules
from scanner.config import Config, check_params, find_config, load_config
from scanner.errors import InputFileError
from scanner.selection import alias_table, resolve_rule_id
from scanner.snapshot import write_snapshot
from tests.core.test_provider_seam import run
from tests.core.toy_provider import PROVIDER, ToyOptions
from tests.providers.aws.helpers import scan


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hipaa-scan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_an_empty_config(tmp_path: Path) -> None:
    assert find_config(None, tmp_path) is None
    assert load_config(None) == Config()


def test_the_working_directory_file_is_found(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert find_config(None, tmp_path) == path
    assert find_config(tmp_path / "other.toml", tmp_path) == tmp_path / "other.toml"


def test_a_full_file_is_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[scan]
phi_tags = ["phi=true", "data=ephi"]
fail_on = "critical"
rules = []
exclude_rules = ["LOG-CDN-01"]
concerns = ["public-exposure"]
severities = ["high", "critical"]

[rules.PUB-FIREWALL-01]
ports = [22, 3389, 5900]
""",
        )
    )
    assert config.phi_tags == ("phi=true", "data=ephi")
    assert config.fail_on == "critical"
    assert config.exclude_rules == ("LOG-CDN-01",)
    assert config.concerns == ("public-exposure",)
    assert config.params == {"PUB-FIREWALL-01": {"ports": [22, 3389, 5900]}}
    checked = check_params(config, [r.meta for r in load_rules()])
    assert checked == {"PUB-FIREWALL-01": {"ports": [22, 3389, 5900]}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scan\n", "not valid TOML"),
        ("[scna]\n", "unknown top-level key 'scna'"),
        ("[scan]\nphi_tag = ['a=b']\n", "unknown key scan.phi_tag"),
        ("[scan]\nphi_tags = 'phi=true'\n", "scan.phi_tags must be a list of KEY=VALUE strings"),
        ("[scan]\nfail_on = 3\n", "scan.fail_on must be a severity"),
        ("scan = 1\n", "scan must be a table"),
    ],
)
def test_malformed_files_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputFileError) as raised:
        load_config(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rules.NOPE-01]\nx = 1\n", "[rules.NOPE-01]: unknown rule id"),
        (
            "[rules.PUB-FIREWALL-01]\nprots = [22]\n",
            "rules.PUB-FIREWALL-01.prots: rule PUB-FIREWALL-01 has no such parameter (it has: ports)",  # noqa: E501
        ),
        (
            "[rules.PUB-FIREWALL-01]\nports = 22\n",
            "rules.PUB-FIREWALL-01.ports: expected list like [22, 23, ",
        ),
        (
            "[rules.PUB-FIREWALL-01]\nports = ['ssh']\n",
            "rules.PUB-FIREWALL-01.ports[]: expected integer like 22, got 'ssh'",
        ),
    ],
)
def test_bad_rule_parameters_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    config = load_config(write(tmp_path, text))
    with pytest.raises(InputFileError, match=None) as raised:
        check_params(config, [r.meta for r in load_rules()])
    assert message in str(raised.value)


def test_the_cli_applies_the_file_and_flags_override_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    snapshot = tmp_path / "toy.json"
    write_snapshot(PROVIDER.collect(ToyOptions("toy-account-1", 1, ())), snapshot)
    write(tmp_path, '[scan]\nconcerns = ["nothing-like-this"]\n')
    code, _, err = run(["evaluate", str(snapshot)], capsys)
    assert code == 2
    assert (
        f"{tmp_path / 'hipaa-scan.toml'}: scan.concerns: unknown concern 'nothing-like-this'" in err
    )

    # A flag wins over the file: with --concern given, the concern is fine, and what is
    # left is that no rule judges the toy cloud (a run that judged nothing is refused).
    code, out, err = run(
        ["evaluate", str(snapshot), "--concern", "public-exposure", "--format", "json", "--quiet"],
        capsys,
    )
    assert code == 2 and out == ""
    assert "unknown concern" not in err
    assert "matches no rule for toy" in err


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        ('severities = ["hgh"]', "scan.severities: unknown severity 'hgh'"),
        ('rules = ["NOPE-01"]', "scan.rules: unknown rule id(s): NOPE-01"),
        ('exclude_rules = ["NOPE-02"]', "scan.exclude_rules: unknown rule id(s): NOPE-02"),
        ('fail_on = "severe"', "scan.fail_on: unknown severity 'severe'"),
    ],
)
def test_a_bad_value_from_the_file_names_the_file_and_key_not_a_flag(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    scan: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    snapshot = tmp_path / "toy.json"
    write_snapshot(PROVIDER.collect(ToyOptions("toy-account-1", 1, ())), snapshot)
    config = write(tmp_path, f"[scan]\n{scan}\n")
    code, _, err = run(["evaluate", str(snapshot)], capsys)
    assert code == 2
    assert f"hipaa-scan: error: {config}: {message}" in err
    assert "--" not in err.split(message)[0]  # no flag blamed


def test_rule_parameters_reach_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = write(tmp_path, "[rules.PUB-FIREWALL-01]\nports = [443]\n")
    snapshot = tmp_path / "web.json"
    with mock_aws():  # moto's default VPC adds its default group: it opens nothing
        ec2 = boto3.client("ec2", region_name="us-east-1")
        group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        )
        write_snapshot(scan(["ec2"], ("us-east-1",)), snapshot)
    code, out, err = run(
        [
            "evaluate",
            str(snapshot),
            "--rule",
            "PUB-FIREWALL-01",
            "--format",
            "json",
            "--quiet",
            "--config",
            str(config),
        ],
        capsys,
    )
    assert code == 1, err
    failed = [f for f in json.loads(out)["findings"] if f["status"] == "FAIL"]
    assert [(f["resource"]["name"], f["evidence"]["exposed_ports"]) for f in failed] == [
        (group, [443])
    ]
    # Without the file, 443 is not an administrative port: the same snapshot passes.
    config.unlink()
    code, out, _ = run(
        ["evaluate", str(snapshot), "--rule", "PUB-FIREWALL-01", "--format", "json", "--quiet"],
        capsys,
    )
    assert code == 0
    assert {f["status"] for f in json.loads(out)["findings"]} == {"PASS"}


def test_a_renamed_rule_id_in_the_file_reaches_its_current_rule(tmp_path: Path) -> None:
    text = "[rules.BAK-DBCLUSTER-01]\nmin_backup_retention_days = 14\n"
    config = load_config(write(tmp_path, text))
    rules = load_rules()
    aliases = alias_table(rules)
    checked = check_params(
        config, [r.meta for r in rules], lambda rule_id: resolve_rule_id(rule_id, aliases)
    )
    assert list(checked) == ["BAK-DB-01"]
