#!/usr/bin/env python3
"""The README's command lines against the tools' own CLI definitions (`TOOL --dump-cli`).

    readme_commands.py README NGXAUTH NGXCONF

Every `ngxauth ...` and `ngxconf ...` line of a fenced block (after `$ `, `sudo ` or
`docker exec CONTAINER `, backslash continuations joined) must name commands that exist and
options those commands (or their parents) take, with a value where the option wants one and
no more positionals than the command has. A line with `[` is a synopsis: its options must
exist. The ngxauth synopsis block must list every command, and the README must name every
option of every command. Prints one line per check; exits 1 at the end if any failed.
"""
import json
import re
import shlex
import subprocess
import sys

failures = []
checked = 0


def fail(msg):
    failures.append(msg)
    print("FAIL - " + msg)


def ok(msg):
    global checked
    checked += 1
    print("ok - " + msg)


def load_cli(binary):
    out = subprocess.run([binary, "--dump-cli"], check=True, capture_output=True, text=True).stdout
    return {tuple(c["path"]): c for c in json.loads(out)["commands"]}


def fenced_lines(text):
    """(line number, line) of every line inside ``` fences, continuations joined."""
    inside, pending, start = False, "", 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            inside, pending = not inside, ""
            continue
        if not inside:
            continue
        if not pending:
            start = n
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield start, pending + line
        pending = ""


PREFIX = re.compile(r"^\s*(?:\$ )?(?:sudo )?(?:docker exec \S+ )?(ngxauth|ngxconf) (.*)$")
SHELL_OPS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"}


def options_on(cli, path):
    """Every option a command at `path` takes: its own and those of its parents."""
    found = {}
    for i in range(len(path) + 1):
        for o in cli[tuple(path[:i])]["options"]:
            for name in o["names"]:
                found[name] = o
    return found


def positionals(cli, path):
    return [o for o in cli[tuple(path)]["options"] if not o["names"]]


def check_example(cli, tool, where, rest):
    try:
        words = shlex.split(rest, comments=True)
    except ValueError as e:
        fail(f"{where}: cannot split: {e}")
        return
    for i, w in enumerate(words):
        if w in SHELL_OPS or w.startswith((">", "2>")):
            words = words[:i]
            break
    path, loose = [], []
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("-"):
            name, _, inline = w.partition("=")
            opt = options_on(cli, path).get(name)
            if opt is None:
                fail(f"{where}: {tool} {' '.join(path)} has no option {name}")
                return
            if opt["takes_value"] and not inline and opt["type"] != "":
                i += 1
                if i >= len(words):
                    fail(f"{where}: {name} wants a value")
                    return
        elif tuple(path + [w]) in cli and not loose:
            path.append(w)
        else:
            loose.append(w)
        i += 1
    pos = positionals(cli, path)
    if len(loose) > len(pos) and not any(p["multiple"] for p in pos):
        fail(f"{where}: {tool} {' '.join(path)} takes {len(pos)} positional(s), got {loose}")
        return
    ok(f"{where}: {tool} {' '.join(path) or '(top)'} {' '.join(w for w in words if w.startswith('-'))}")


def check_synopsis(cli, tool, where, rest):
    everything = {n for c in cli.values() for o in c["options"] for n in o["names"]}
    for name in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest):
        if name not in everything:
            fail(f"{where}: synopsis names {name}, which {tool} does not have")
            return
    ok(f"{where}: synopsis options exist in {tool}")


def main():
    readme_path, ngxauth, ngxconf = sys.argv[1:4]
    text = open(readme_path, encoding="utf-8").read()
    clis = {"ngxauth": load_cli(ngxauth), "ngxconf": load_cli(ngxconf)}
    examples = 0
    for n, line in fenced_lines(text):
        m = PREFIX.match(line)
        if not m:
            continue
        tool, rest = m.group(1), m.group(2)
        where = f"README.md:{n}"
        examples += 1
        if "[" in rest.split("#")[0]:
            check_synopsis(clis[tool], tool, where, rest)
        else:
            check_example(clis[tool], tool, where, rest)
    if examples < 25:
        fail(f"only {examples} command lines found in the README (a broken extraction?)")

    # The ngxauth synopsis: the fenced block that starts with "ngxauth [".
    block = re.search(r"```\n(ngxauth \[.*?)```", text, re.S)
    if not block:
        fail("no ngxauth synopsis block")
    else:
        for path in clis["ngxauth"]:
            if path and not re.search(r"^\s+" + re.escape(" ".join(path)) + r"\b", block.group(1), re.M):
                fail(f"the synopsis does not list `ngxauth {' '.join(path)}`")
        check_synopsis(clis["ngxauth"], "ngxauth", "the synopsis block", block.group(1))
        ok("the synopsis lists every ngxauth command")
    for tool, cli in clis.items():
        for path, c in cli.items():
            for o in c["options"]:
                for name in o["names"]:
                    if name.startswith("--") and name not in ("--help",) and name not in text:
                        fail(f"the README never names {tool} {' '.join(path)} {name}")
    ok("the README names every option")
    print(f"{checked} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
