// bash and zsh completion, generated from the dispatch tables the commands run on (objects,
// commands, resource kinds, statistic qp commands), so a new keyword completes without a second
// list. Device names and DEV/PORT come from the kernel when completing (`rdma-ts dev`, `rdma-ts
// link`, inside the -n namespace given on the line).
import { OBJECTS } from '../cli/main.js';
import { keywords } from '../cli/grammar.js';
import { DEV_COMMANDS } from '../cli/dev.js';
import { LINK_COMMANDS } from '../cli/link.js';
import { RES_COMMANDS, RES_KINDS } from '../cli/res.js';
import { STAT_COMMANDS, STAT_QP_COMMANDS } from '../cli/stat.js';
import { SYS_COMMANDS } from '../cli/sys.js';

/** What follows `OBJECT COMMAND`: keywords, device names (`dev`) or DEV/PORT (`link`). */
interface ObjectWords { commands: string[]; after: Record<string, string> }

/** The completion data: per object, its commands, and what each command takes next. */
export function completionData(): { objects: string[]; options: string[]; byObject: Record<string, ObjectWords> } {
  const kinds = keywords(RES_KINDS).join(' ');
  return {
    objects: keywords(OBJECTS),
    options: ['-V', '-d', '-dd', '-j', '-p', '-r', '-o', '-f', '-b', '-n', '--netns', '--all-netns', '--compat', '--record',
      '--replay', '--debug', '--dry-run', '--help'],
    byObject: {
      dev: { commands: keywords(DEV_COMMANDS), after: { show: '@dev', list: '@dev', set: '@dev', delete: '@dev' } },
      link: { commands: keywords(LINK_COMMANDS), after: { show: '@link', list: '@link', set: '@link', delete: '@dev' } },
      resource: { commands: keywords(RES_COMMANDS), after: { show: `${kinds} @dev`, list: `${kinds} @dev`, set: 'frmr_pools' } },
      system: { commands: keywords(SYS_COMMANDS), after: { show: 'netns privileged-qkey monitor', set: 'netns privileged-qkey' } },
      statistic: { commands: keywords(STAT_COMMANDS), after: { show: 'link mr', qp: keywords(STAT_QP_COMMANDS).join(' '),
        mode: 'supported link', set: 'link', unset: 'link' } },
      gid: { commands: ['show', '@link'], after: { show: '@link' } },
      cgroup: { commands: ['show', 'set'], after: { show: 'pid container' } },
      doctor: { commands: ['pid', 'container', 'expect'], after: { expect: 'shared exclusive' } },
      monitor: { commands: ['help'], after: {} },
      exporter: { commands: ['--listen', '--timeout'], after: {} },
      top: { commands: ['--view', '--no-tui', '--bind-auto', '-c', '-i'], after: { '--view': 'ports counters processes namespaces' } },
    },
  };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `_rdma_ts_candidates WORD...`: the candidates after the given words (global options already
 * removed), one per line. Plain sh, shared by the bash and zsh scripts. `@dev`/`@link` ask the
 * kernel; prefixes resolve as rdmatool resolves them (first match in table order).
 */
export function candidatesFunction(): string {
  const d = completionData();
  const obj = Object.entries(d.byObject);
  // zsh does not split unquoted parameters unless told to (sh_word_split, local to each function).
  return `_rdma_ts_resolve() { # WORD LIST: the first keyword of LIST that WORD is a prefix of
  [ -n "\${ZSH_VERSION:-}" ] && setopt local_options sh_word_split
  for _k in $2; do case $_k in "$1"*) echo "$_k"; return;; esac; done
}
_rdma_ts_expand() { # a word list with @dev / @link from the kernel
  [ -n "\${ZSH_VERSION:-}" ] && setopt local_options sh_word_split
  for _w in $1; do
    case $_w in
      @dev) rdma-ts $_rdma_ts_ns dev 2>/dev/null | sed -n 's/^[0-9]*: \\([^:]*\\):.*/\\1/p';;
      @link) rdma-ts $_rdma_ts_ns link 2>/dev/null | sed -n 's/^link \\([^ ]*\\) .*/\\1/p';;
      *) echo "$_w";;
    esac
  done
}
_rdma_ts_candidates() {
  [ -n "\${ZSH_VERSION:-}" ] && setopt local_options sh_word_split
  if [ $# -eq 0 ]; then _rdma_ts_expand ${q(d.objects.join(' '))}; return; fi
  _o=$(_rdma_ts_resolve "$1" ${q(d.objects.join(' '))})
  case $_o in
${obj.map(([o, w]) => `    ${o}) _c=${q(w.commands.join(' '))};;`).join('\n')}
    *) return;;
  esac
  if [ $# -eq 1 ]; then _rdma_ts_expand "$_c"; return; fi
  _s=$(_rdma_ts_resolve "$2" "$_c")
  case $_o:$_s in
${obj.flatMap(([o, w]) => Object.entries(w.after).map(([c, next]) =>
    `    ${o}:${c}) [ $# -eq 2 ] && _rdma_ts_expand ${q(next)};;`)).join('\n')}
  esac
}
_rdma_ts_line() { # the words typed before the cursor (after rdma-ts): global options dropped, -n kept for the kernel
  _rdma_ts_ns= _n=$#
  while [ $_n -gt 0 ]; do
    _w=$1; shift; _n=$((_n - 1))
    case $_w in
      -n|--netns) _rdma_ts_ns="-n $1"; [ $_n -gt 0 ] && { shift; _n=$((_n - 1)); };;
      ${VALUED.join('|')}) [ $_n -gt 0 ] && { shift; _n=$((_n - 1)); };;
      -*) ;;
      *) set -- "$@" "$_w";;
    esac
  done
  _rdma_ts_candidates "$@"
}
`;
}

/** Global options that take a value (other than -n): skipped, with their value, before the object. */
const VALUED = ['--compat', '--record', '--replay', '-b', '--batch'];

export function bashScript(): string {
  return `# bash completion for rdma-ts (generated by src/packaging/completion.ts; do not edit)
${candidatesFunction()}
_rdma_ts() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ${q(completionData().options.join(' '))} -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$(_rdma_ts_line "\${COMP_WORDS[@]:1:COMP_CWORD-1}")" -- "$cur"))
}
complete -F _rdma_ts rdma-ts
`;
}

export function zshScript(): string {
  return `#compdef rdma-ts
# zsh completion for rdma-ts (generated by src/packaging/completion.ts; do not edit)
${candidatesFunction()}
_rdma-ts() {
  local -a candidates
  if [[ \${words[CURRENT]} == -* ]]; then candidates=(${completionData().options.join(' ')})
  else candidates=(\${(f)"$(_rdma_ts_line "\${(@)words[2,CURRENT-1]}")"}); fi
  compadd -- $candidates
}
_rdma-ts "$@"
`;
}
