import type { Command } from 'commander';

/** What the shells complete, read from the command tree so a new command or flag is never missed. */
export interface CompletionSpec {
  commands: CommandSpec[];
}

interface CommandSpec {
  name: string;
  description: string;
  /** Sub-commands (`keys generate`), completed as the next word. */
  subcommands: string[];
  options: Array<{ flag: string; short?: string; takesValue: boolean; description: string }>;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Commands whose first argument is a role. */
const ROLE_ARGUMENT = ['creds', 'exec', 'console', 'configure-aliyun', 'roles', 'fav', 'unfav'];
/** Flags whose value is a role. */
const ROLE_FLAGS = ['-r', '--role', '-f', '--favourite', '--set-current'];
/** Role names come from the role list the client cached at the last `roles`/`creds`: no network call. */
const LIST_ROLES = 'rambridge completion --list-roles 2>/dev/null';

export function completionSpec(program: Command): CompletionSpec {
  const visible = (c: Command) => !(c as Command & { _hidden?: boolean })._hidden;
  return {
    commands: program.commands.filter(visible).map((c) => ({
      name: c.name(),
      description: c.description(),
      subcommands: c.commands.map((s) => s.name()),
      options: c.options
        .filter((o) => !o.hidden && o.long)
        .map((o) => ({ flag: o.long!, short: o.short, takesValue: o.required || o.optional, description: o.description })),
    })),
  };
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bash(spec);
    case 'zsh':
      return zsh(spec);
    case 'fish':
      return fish(spec);
  }
}

/** Single-quoted for sh/zsh/fish: descriptions are ours, but an apostrophe must not end the string. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function flagsOf(c: CommandSpec, onlyWithValue = false): string {
  return c.options
    .filter((o) => !onlyWithValue || o.takesValue)
    .flatMap((o) => [o.flag, ...(o.short ? [o.short] : [])])
    .join(' ');
}

function bash(spec: CompletionSpec): string {
  const cases = spec.commands
    .map((c) => `    ${c.name}) flags=${q(flagsOf(c))}; valued=${q(flagsOf(c, true))}; subs=${q(c.subcommands.join(' '))} ;;`)
    .join('\n');
  // Role names are matched as plain text, never given to `compgen -W`: it expands each word, so a
  // name like `$(cmd)` in the cached list would run as the user at the next Tab.
  return `# rambridge completion for bash. Load it with:  source <(rambridge completion bash)   (e.g. in ~/.bashrc)
__rambridge_roles() {
  local role
  while IFS= read -r role; do
    [[ $role == "$1"* ]] && COMPREPLY+=("$role")
  done < <(${LIST_ROLES})
}
_rambridge() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} flags='' valued='' subs='' i args=0
  COMPREPLY=()
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${q(spec.commands.map((c) => c.name).join(' '))} -- "$cur"))
    return
  fi
  local cmd=\${COMP_WORDS[1]}
  case "$cmd" in
${cases}
  esac
  case "$prev" in
    ${ROLE_FLAGS.join('|')})
      __rambridge_roles "$cur"
      return ;;
  esac
  for ((i = 2; i < COMP_CWORD; i++)); do
    # After -- comes the command exec runs: the shell's own completion takes over.
    [[ \${COMP_WORDS[i]} == -- ]] && return
    # A positional argument: not a flag, nor the value of one.
    [[ \${COMP_WORDS[i]} != -* && " $valued " != *" \${COMP_WORDS[i-1]} "* ]] && args=$((args + 1))
  done
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n $subs && $args -eq 0 ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ " ${ROLE_ARGUMENT.join(' ')} " == *" $cmd "* && $args -eq 0 ]]; then
    __rambridge_roles "$cur"
  fi
}
complete -o default -F _rambridge rambridge

${posixPrompt('bash')}`;
}

function zsh(spec: CompletionSpec): string {
  const described = spec.commands.map((c) => `    ${q(`${c.name}:${c.description.replace(/:/g, '\\:')}`)}`).join('\n');
  const cases = spec.commands
    .map((c) => `    ${c.name}) flags=(${flagsOf(c)}); valued=(${flagsOf(c, true)}); subs=(${c.subcommands.join(' ')}) ;;`)
    .join('\n');
  return `#compdef rambridge
# rambridge completion for zsh. Either:  source <(rambridge completion zsh)   (after compinit, e.g. in ~/.zshrc)
# or save it as _rambridge in a directory of $fpath:  rambridge completion zsh > "\${fpath[1]}/_rambridge"
_rambridge() {
  local -a commands flags valued subs roles
  local cmd=\${words[2]} i args=0
  if (( CURRENT == 2 )); then
    commands=(
${described}
    )
    _describe 'command' commands
    return
  fi
  case $cmd in
${cases}
  esac
  case \${words[CURRENT-1]} in
    ${ROLE_FLAGS.join('|')})
      roles=(\${(f)"$(${LIST_ROLES})"})
      compadd -a roles
      return ;;
  esac
  for ((i = 3; i < CURRENT; i++)); do
    if [[ \${words[i]} == -- ]]; then
      # After -- comes the command exec runs: complete it as a command line of its own.
      shift $i words
      (( CURRENT -= i ))
      _normal
      return
    fi
    [[ \${words[i]} != -* ]] && (( ! \${valued[(Ie)\${words[i-1]}]} )) && ((args++))
  done
  if [[ \${words[CURRENT]} == -* ]]; then
    compadd -a flags
  elif (( \${#subs} && args == 0 )); then
    compadd -a subs
  elif [[ " ${ROLE_ARGUMENT.join(' ')} " == *" $cmd "* ]] && (( args == 0 )); then
    roles=(\${(f)"$(${LIST_ROLES})"})
    compadd -a roles
  else
    _files
  fi
}
if [[ \${funcstack[1]} == _rambridge ]]; then _rambridge "$@"; else compdef _rambridge rambridge; fi

${posixPrompt('zsh')}`;
}

function fish(spec: CompletionSpec): string {
  const lines = ['# rambridge completion for fish. Save it:  rambridge completion fish > ~/.config/fish/completions/rambridge.fish'];
  for (const c of spec.commands) {
    lines.push(`complete -c rambridge -n __fish_use_subcommand -f -a ${fq(c.name)} -d ${fq(c.description)}`);
    const when = fq(`__fish_seen_subcommand_from ${c.name}`);
    if (c.subcommands.length) lines.push(`complete -c rambridge -n ${when} -f -a ${fq(c.subcommands.join(' '))}`);
    for (const o of c.options) {
      const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
      const roles = ROLE_FLAGS.includes(o.flag) ? ` -f -a '(${LIST_ROLES})'` : '';
      lines.push(
        `complete -c rambridge -n ${when}${short} -l ${o.flag.replace(/^--/, '')}${o.takesValue ? ' -r' : ''}${roles} -d ${fq(o.description)}`,
      );
    }
  }
  // Role names, and no file names, where a role goes; files elsewhere (check-config FILE, --config FILE).
  lines.push(`complete -c rambridge -n ${fq(`__fish_seen_subcommand_from ${ROLE_ARGUMENT.join(' ')}`)} -f -a '(${LIST_ROLES})'`);
  lines.push(
    '',
    '# Prompt: the role of a shell started by `rambridge exec ROLE -- fish`. In fish_prompt: __rambridge_prompt',
    'function __rambridge_prompt',
    '    set -q RAMBRIDGE_ROLE; and printf "[%s] " $RAMBRIDGE_ROLE',
    'end',
    '',
  );
  return lines.join('\n');
}

/** `__rambridge_ps1`: like git's `__git_ps1`, for PS1/PROMPT; prints nothing outside a role's shell. */
function posixPrompt(shell: 'bash' | 'zsh'): string {
  const use =
    shell === 'bash' ? `PS1='$(__rambridge_ps1 "[%s] ")'"$PS1"` : `setopt PROMPT_SUBST; PROMPT='$(__rambridge_ps1 "[%s] ")'"$PROMPT"`;
  return `# Prompt: the role of a shell started by \`rambridge exec ROLE -- $SHELL\`. Use:  ${use}
__rambridge_ps1() {
  [ -n "\${RAMBRIDGE_ROLE-}" ] && printf -- "\${1:-[%s] }" "$RAMBRIDGE_ROLE"
  return 0
}
`;
}
