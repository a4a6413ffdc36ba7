#!/usr/bin/env python3
"""Man page and shell completions of a tool, from its own command line definition.

    gen-cli-docs.py --binary PATH --name NAME --version VERSION --out DIR [--see-also PAGE]

Runs `PATH --dump-cli` (the CLI11 definition as JSON, tools/common/cli_dump.hpp) and writes
    DIR/NAME.1        the man page (roff, man macros), and NAME.1.gz as installed
    DIR/NAME.bash     bash completion (installed as share/bash-completion/completions/NAME)
    DIR/_NAME         zsh completion
    DIR/NAME.fish     fish completion
The build runs it after linking the tool, so none of them can drift from --help.

How a value or a positional completes comes from its type name: {a,b,c} (CLI11's IsMember)
offers the choices, DIR directories, FILE files; a positional APP asks the tool itself
(`NAME __complete-apps [--root DIR] [--from-sample]`), which finds ROOT as every other command does.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys

GENERATED = "generated from `{name} --dump-cli` by scripts/gen-cli-docs.py; do not edit"


# ---------------------------------------------------------------------------- the model

def load(binary):
    out = subprocess.run([binary, "--dump-cli"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def choices_of(type_name):
    """The values of a CLI11 IsMember check ("TEXT:{a,b}" -> [a, b]), else []."""
    m = re.search(r"\{([^}]*)\}", type_name)
    return [c.strip() for c in m.group(1).split(",")] if m else []


# What CLI11 appends to a type name for its checks: ":POSITIVE", ":NONNEGATIVE", ":{a,b}".
VALIDATOR_SUFFIX = re.compile(r"(:(\{[^}]*\}|POSITIVE|NONNEGATIVE|NUMBER|FILE|DIR|PATH))+$")


def shown_type(opt):
    """The value's name as a person reads it: a|b|c for choices, else the type without
    CLI11's validator suffixes (SECONDS:NONNEGATIVE -> SECONDS)."""
    choices = choices_of(opt["type"])
    if choices:
        return "|".join(choices)
    return VALIDATOR_SUFFIX.sub("", opt["type"]) or "VALUE"


def value_kind(opt):
    """How a shell completes the option's value (or the positional): choice, dir, file, app,
    or none."""
    if opt["positional"] == "APP":
        return "app"
    if choices_of(opt["type"]):
        return "choice"
    base = (opt["positional"] or shown_type(opt)).upper()
    if base in ("DIR", "FOLDER"):
        return "dir"
    if base == "FILE":
        return "file"
    return "none"


class Command:
    def __init__(self, raw):
        self.path = raw["path"]
        self.key = " ".join(self.path)
        self.description = raw["description"]
        self.fallthrough = raw["fallthrough"]
        self.options = [o for o in raw["options"] if o["names"]]
        self.positionals = [o for o in raw["options"] if o["positional"] and not o["names"]]
        self.subcommands = []
        self.parent = None

    def effective_options(self):
        """Its own options, then (when unknown options fall through to the parent, as with
        ngxauth's global options after the command) the parent's, nearest first."""
        seen, out, cmd = set(), [], self
        while cmd is not None:
            for o in cmd.options:
                if o["names"][-1] not in seen:
                    seen.add(o["names"][-1])
                    out.append(o)
            cmd = cmd.parent if cmd.fallthrough else None
        return out


def commands_of(cli):
    commands = [Command(raw) for raw in cli["commands"]]
    by_key = {c.key: c for c in commands}
    for c in commands:
        if c.path:
            c.parent = by_key[" ".join(c.path[:-1])]
            c.parent.subcommands.append(c)
    return commands


# ---------------------------------------------------------------------------- man page

def roff(text):
    """Text for a roff line: backslashes, dashes and non-ASCII escaped, no leading control
    character."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\e")
        elif ch == "-":
            out.append("\\-")
        elif ord(ch) > 127:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    line = "".join(out)
    return "\\&" + line if line[:1] in (".", "'") else line


def option_term(opt):
    names = ", ".join("\\fB%s\\fR" % roff(n) for n in opt["names"])
    if opt["takes_value"]:
        names += " \\fI%s\\fR" % roff(shown_type(opt))
        if opt["multiple"]:
            names += " ..."
    return names


def option_body(opt):
    text = roff(opt["description"])
    extras = []
    if opt["default"]:
        extras.append("default: " + roff(opt["default"]))
    if opt["required"] and opt["names"]:  # a positional's synopsis says it already
        extras.append("required")
    return text + (" (%s)" % "; ".join(extras) if extras else "")


def synopsis(name, cmd):
    words = ["\\fB%s\\fR" % roff(" ".join([name] + cmd.path))]
    if cmd.options:
        words.append("[\\fIOPTIONS\\fR]")
    if cmd.subcommands:
        words.append("\\fICOMMAND\\fR")
    for p in cmd.positionals:
        arg = "\\fI%s\\fR" % roff(p["positional"]) + (" ..." if p["multiple"] else "")
        words.append(arg if p["required"] else "[%s]" % arg)
    return " ".join(words)


def option_list(options, with_help=True):
    lines = []
    for o in options:
        if not with_help and "--help" in o["names"]:
            continue  # every command has it; the global options list it once
        lines += [".TP", option_term(o), option_body(o)]
    return lines


def positional_list(cmd):
    lines = []
    for p in cmd.positionals:
        lines += [".TP", "\\fI%s\\fR" % roff(p["positional"]), option_body(p)]
    return lines


def footer_sections(footer):
    """The help footer as man sections: a paragraph whose first line ends with ':' and whose
    other lines are indented becomes its own section (EXIT CODES), kept as laid out; the
    others are running text under DETAILS."""
    details, sections = [], []
    for para in re.split(r"\n\s*\n", footer.strip("\n")):
        lines = para.split("\n")
        if len(lines) > 1 and lines[0].endswith(":") and all(l[:1].isspace() for l in lines[1:]):
            body = [".nf"] + [roff(l[2:] if l.startswith("  ") else l) for l in lines[1:]]
            sections += [".SH " + roff(lines[0][:-1].upper())] + body + [".fi"]
        else:
            details += [".PP", roff(" ".join(l.strip() for l in lines))]
    return ([".SH DETAILS"] + details if details else []) + sections


def man_page(cli, name, version, see_also):
    commands = commands_of(cli)
    top = commands[0]
    summary = re.sub(r"^\S+ - ", "", top.description)
    lines = [
        '.\\" ' + GENERATED.format(name=name),
        '.TH %s 1 "" "%s %s" "User Commands"' % (name.upper(), name, version),
        ".nh",  # long option names and defaults unbroken
        ".ad l",
        ".SH NAME",
        "%s \\- %s" % (name, roff(summary)),
        ".SH SYNOPSIS",
        synopsis(name, top),
        ".SH DESCRIPTION",
        roff(summary[:1].upper() + summary[1:] + "."),
        "The commands follow; \\fB%s\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR says the same."
        % name,
        ".SH COMMANDS",
    ]
    for cmd in commands[1:]:
        lines += [".SS " + synopsis(name, cmd), roff(cmd.description)]
        if cmd.positionals or any("--help" not in o["names"] for o in cmd.options):
            lines += [".RS"] + positional_list(cmd) + option_list(cmd.options, False) + [".RE"]
    if top.options:
        heading = "GLOBAL OPTIONS" if top.fallthrough else "OPTIONS"
        lines += [".SH " + heading]
        if top.fallthrough:
            lines.append("They go before or after the command.")
        lines += option_list(top.options)
    if cli["footer"]:
        lines += footer_sections(cli["footer"])
    if see_also:
        lines += [".SH SEE ALSO", ", ".join("\\fB%s\\fR(1)" % s for s in see_also)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- shells

def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def value_spec(opt):
    """How the shells complete an option's value: "choice a b c", "dir", "file", "text"."""
    kind = value_kind(opt)
    if kind == "choice":
        return "choice " + " ".join(choices_of(opt["type"]))
    return kind if kind in ("dir", "file") else "text"


def shell_data(name, commands, described):
    """The data functions bash and zsh share (the same case syntax): subcommands, options,
    option values and positionals by command path. `described`: "word:description" lines
    (zsh's _describe) instead of bare words."""
    fn = "__%s" % name.replace("-", "_")

    def words(items):
        if described:
            return " ".join(sh_quote(w.replace(":", "\\:") + ":" + d) for w, d in items)
        return sh_quote(" ".join(w for w, _ in items))

    def emit(cases):
        return "".join("    %s) printf '%%s\\n' %s ;;\n" % (sh_quote(k), v) for k, v in cases)

    subs = [(c.key, words([(s.path[-1], s.description) for s in c.subcommands]))
            for c in commands if c.subcommands]
    opts = [(c.key, words([(n, o["description"]) for o in c.effective_options()
                           for n in o["names"]])) for c in commands]
    values = [("%s %s" % (c.key, n), sh_quote(value_spec(o))) for c in commands
              for o in c.effective_options() if o["takes_value"] for n in o["names"]]
    positional = [(c.key, sh_quote(value_kind(c.positionals[0]))) for c in commands
                  if c.positionals]
    out = "# The subcommands of command path $1 (\"\" is the top).\n"
    out += "%s_commands() {\n    case $1 in\n%s    esac\n}\n" % (fn, emit(subs))
    out += "# Its options (with those that fall through to the parent command).\n"
    out += "%s_options() {\n    case $1 in\n%s    esac\n}\n" % (fn, emit(opts))
    out += "# How the value of option $2 of command path $1 completes; fails for a flag.\n"
    out += "%s_value() {\n    case \"$1 $2\" in\n%s    *) return 1 ;;\n    esac\n}\n" % (
        fn, emit(values))
    out += "# What its positional arguments are: app, file, dir, none.\n"
    out += "%s_positional() {\n    case $1 in\n%s    esac\n}\n" % (fn, emit(positional))
    return out


# The walk over the words before the cursor, the same in bash and zsh: the command path
# typed so far, skipping option values, and the --root given (for the app names).
WALK = """    local cmdpath="" root="" samples="" word i
    for ((i = {first}; i < {cword}; i++)); do
        word=${{{words}[i]}}
        case $word in
        --root=*) root=${{word#--root=}} ;;
        --from-sample) samples=--from-sample ;;
        -*)
            if {fn}_value "$cmdpath" "$word" >/dev/null; then
                [[ $word == --root ]] && root=${{{words}[i+1]}}
                ((i++))
            fi
            ;;
        *)
            if [[ $'\\n'$({fn}_commands "$cmdpath" | {strip})$'\\n' == *$'\\n'"$word"$'\\n'* ]]; then
                cmdpath=${{cmdpath:+$cmdpath }}$word
            fi
            ;;
        esac
    done
    root=${{root/#\\~/$HOME}}
"""


def bash_completion(cli, name):
    commands = commands_of(cli)
    fn = "__%s" % name.replace("-", "_")
    walk = WALK.format(first=1, cword="COMP_CWORD", words="COMP_WORDS", fn=fn,
                       strip="tr ' ' '\\n'")
    return """# bash completion for {name}; {gen}
{data}
_{fn_name}() {{
{walk}    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} spec
    COMPREPLY=()
    if ((COMP_CWORD > 1)) && [[ $prev == -* ]] && spec=$({fn}_value "$cmdpath" "$prev"); then
        case $spec in
        choice\\ *) mapfile -t COMPREPLY < <(compgen -W "${{spec#choice }}" -- "$cur") ;;
        dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
        file) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        esac
        return 0
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$({fn}_options "$cmdpath")" -- "$cur")
        return 0
    fi
    local subcommands
    subcommands=$({fn}_commands "$cmdpath")
    if [[ -n $subcommands ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
        return 0
    fi
    case $({fn}_positional "$cmdpath") in
    app)
        local apps
        apps=$("${{COMP_WORDS[0]}}" __complete-apps ${{root:+--root "$root"}} $samples 2>/dev/null)
        mapfile -t COMPREPLY < <(compgen -W "$apps" -- "$cur")
        ;;
    dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    file) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    esac
    return 0
}}
complete -o filenames -F _{fn_name} {name}
""".format(name=name, gen=GENERATED.format(name=name), data=shell_data(name, commands, False),
           fn=fn, fn_name=name.replace("-", "_"), walk=walk)


def zsh_completion(cli, name):
    commands = commands_of(cli)
    fn = "__%s" % name.replace("-", "_")
    walk = WALK.format(first=2, cword="CURRENT", words="words", fn=fn, strip="cut -d: -f1")
    return """#compdef {name}
# zsh completion for {name}; {gen}
{data}
_{fn_name}() {{
{walk}    local cur=${{words[CURRENT]}} prev=${{words[CURRENT-1]}} spec
    local -a items
    if ((CURRENT > 2)) && [[ $prev == -* ]] && spec=$({fn}_value "$cmdpath" "$prev"); then
        case $spec in
        choice\\ *) items=(${{=spec#choice }}); compadd -a items ;;
        dir) _files -/ ;;
        file) _files ;;
        esac
        return
    fi
    if [[ $cur == -* ]]; then
        items=(${{(f)"$({fn}_options "$cmdpath")"}})
        _describe -t options option items
        return
    fi
    items=(${{(f)"$({fn}_commands "$cmdpath")"}})
    if ((${{#items}})); then
        _describe -t commands command items
        return
    fi
    case $({fn}_positional "$cmdpath") in
    app)
        items=(${{(f)"$(${{words[1]}} __complete-apps ${{root:+--root}} ${{root:+$root}} $samples 2>/dev/null)"}})
        compadd -a items
        ;;
    dir) _files -/ ;;
    file) _files ;;
    esac
}}

_{fn_name} "$@"
""".format(name=name, gen=GENERATED.format(name=name), data=shell_data(name, commands, True),
           fn=fn, fn_name=name.replace("-", "_"), walk=walk)


def fish_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


# The helpers of the fish completion: the command path typed so far ("" is the top, option
# values skipped), a test of it, and the app names of ROOT (the --root typed, else as the
# tool finds ROOT).
FISH_HELPERS = """function @FN@_cmdpath
    set -l cmdpath ''
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case '-*=*'
            case '-*'
                contains -- "$cmdpath|$word" $@FN@_valued; and set skip 1
            case '*'
                if contains -- "$cmdpath|$word" $@FN@_subcommands
                    set cmdpath (string trim -- "$cmdpath $word")
                end
        end
    end
    echo $cmdpath
end
function @FN@_at
    test (@FN@_cmdpath) = "$argv[1]"
end
function @FN@_apps
    set -l words (commandline -opc)
    set -l root
    set -l samples
    for i in (seq (count $words))
        if test "$words[$i]" = --from-sample
            set samples --from-sample
        else if test "$words[$i]" = --root; and test $i -lt (count $words)
            set root --root $words[(math $i + 1)]
        else if string match -q -- '--root=*' $words[$i]
            set root $words[$i]
        end
    end
    command $words[1] __complete-apps $root $samples 2>/dev/null
end
"""


def fish_completion(cli, name):
    commands = commands_of(cli)
    fn = "__%s" % name.replace("-", "_")
    valued = ["%s|%s" % (c.key, n) for c in commands for o in c.effective_options()
              if o["takes_value"] for n in o["names"]]
    subs = ["%s|%s" % (c.key, s.path[-1]) for c in commands for s in c.subcommands]
    lines = [
        "# fish completion for %s; %s" % (name, GENERATED.format(name=name)),
        "set -g %s_valued %s" % (fn, " ".join(fish_quote(v) for v in valued)),
        "set -g %s_subcommands %s" % (fn, " ".join(fish_quote(s) for s in subs)),
        FISH_HELPERS.replace("@FN@", fn).rstrip("\n"),
        "complete -c %s -f" % name,
    ]
    for c in commands:
        cond = "-n %s" % fish_quote("%s_at %s" % (fn, sh_quote(c.key)))
        for s in c.subcommands:
            lines.append("complete -c %s %s -a %s -d %s" % (
                name, cond, s.path[-1], fish_quote(s.description)))
        for o in c.effective_options():
            flags = " ".join(("-l " + n[2:]) if n.startswith("--") else ("-s " + n[1:])
                             for n in o["names"])
            spec = value_spec(o) if o["takes_value"] else ""
            if spec.startswith("choice "):
                flags += " -x -a %s" % fish_quote(spec[len("choice "):])
            elif spec == "dir":
                flags += " -x -a '(__fish_complete_directories (commandline -ct))'"
            elif spec == "file":
                flags += " -r -F"
            elif spec:
                flags += " -x"
            lines.append("complete -c %s %s %s -d %s" % (name, cond, flags,
                                                         fish_quote(o["description"])))
        if c.positionals and not c.subcommands:
            kind = value_kind(c.positionals[0])
            if kind == "app":
                lines.append("complete -c %s %s -a '(%s_apps)'" % (name, cond, fn))
            elif kind == "file":
                lines.append("complete -c %s %s -F" % (name, cond))
            elif kind == "dir":
                lines.append("complete -c %s %s -a '(__fish_complete_directories "
                             "(commandline -ct))'" % (name, cond))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--see-also", action="append", default=[])
    args = ap.parse_args()
    cli = load(args.binary)
    os.makedirs(args.out, exist_ok=True)
    outputs = {
        args.name + ".1": man_page(cli, args.name, args.version, args.see_also),
        args.name + ".bash": bash_completion(cli, args.name),
        "_" + args.name: zsh_completion(cli, args.name),
        args.name + ".fish": fish_completion(cli, args.name),
    }
    for file, text in outputs.items():
        with open(os.path.join(args.out, file), "w", encoding="utf-8") as f:
            f.write(text)
    # Debian installs man pages compressed; mtime 0: the same bytes on every build.
    page = os.path.join(args.out, args.name + ".1")
    with open(page, "rb") as src, open(page + ".gz", "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(src.read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
