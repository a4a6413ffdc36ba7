# Real zsh completion, typed into an interactive zsh on a pseudo-terminal (zsh/zpty):
#   zsh -f zsh_complete.zsh FPATH_DIR PATH LINE...
# For each LINE (typed, then TAB) prints "RESULT:" and the line as completion left it. Keys
# are read in order, so each completion has finished before the next key.
zmodload zsh/zpty || exit 77
zpty z zsh -f -i
zpty -w z "bindkey -e; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; path=(${(s.:.)2} \$path)"
shift 2
for line in "$@"; do
    zpty -w -n z "$line"$'\t'$'\C-a'"echo RESULT:"$'\n'
done
zpty -w z 'echo ALL""DONE'
all=""
zpty -r z all '*ALLDONE*'
print -r -- "${all//$'\r'/}" | grep -a '^RESULT:'
zpty -d z
