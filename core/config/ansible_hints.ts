/** Keys Ansible users write that mooncake lacks, with what to write instead. */
export const STEP_KEY_HINTS: Readonly<Record<string, string>> = {
  loop: 'Write "with_items" instead of "loop": it takes a list, a variable name or an expression',
  with_list: 'Write "with_items" instead of "with_list"',
  with_fileglob: 'Write "with_filetree: DIR" to loop over the files under a directory',
  block: '"block" is not supported: put the steps in their own file and "include" it; when, tags and become on the include apply to every included step',
  import_tasks: 'Write "include: FILE" instead of "import_tasks"',
  include_tasks: 'Write "include: FILE" instead of "include_tasks"',
  vars_files: 'Write an "include_vars: FILE" step instead of "vars_files"',
  debug: 'Write "print: MESSAGE" instead of "debug"',
  until: 'Write "retries" and "retry_delay" instead of "until": a step is retried while it fails, so write the condition as failed_when: "not (CONDITION)", reading the step\'s result as result',
  delay: 'Write "retry_delay" (a duration such as "2s") instead of "delay"',
  environment: 'Write "env" instead of "environment": a map of environment variables for the command',
  import: 'Write "include: FILE" instead of "import"',
  notify: '"notify" is not supported: register the step and give the handler step when: "result is changed"',
  delegate_to: '"delegate_to" is not supported: mooncake applies a config to the machine it runs on',
  become_method: '"become_method" is not supported: become always uses sudo',
};

/** Per action: payload keys from the matching Ansible module. */
export const PAYLOAD_KEY_HINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  assert: {
    that: 'Ansible\'s "that" is not supported: write assert: {expr: "CONDITION"}, one assert step per condition',
    fail_msg: 'Write "msg" instead of "fail_msg"',
    success_msg: '"success_msg" is not supported: an assert that passes reports ok',
  },
};
