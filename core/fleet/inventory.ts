/**
 * The fleet's view of an Ansible inventory (YAML or INI): the hosts a run can target, each with
 * how to reach it over OpenSSH and the variables it contributes to the plan.
 */

export interface BecomeSettings {
  /** `ansible_become` */
  readonly enabled: boolean;
  /** `ansible_become_user` */
  readonly user?: string;
  /** `ansible_become_method`; only `sudo` is supported, anything else is refused when loading. */
  readonly method?: string;
}

export interface InventoryHost {
  /** The inventory name, seen by a config as `inventory_hostname`. */
  readonly name: string;
  /** `ansible_host`, else the name. */
  readonly address: string;
  /** `ansible_port` (or `ansible_ssh_port`). */
  readonly port?: number;
  /** `ansible_user` (or `ansible_ssh_user`). */
  readonly user?: string;
  /** `ansible_ssh_private_key_file`, resolved against the inventory file's folder. */
  readonly privateKeyFile?: string;
  readonly become?: BecomeSettings;
  /** Every group the host belongs to, directly or through `children`, sorted; without `all`. */
  readonly groups: readonly string[];
  /**
   * What the host contributes to the plan's variables, Ansible's precedence already applied:
   * `all` vars < parent group vars < child group vars < host vars; plus `inventory_hostname`
   * and `group_names`. Connection variables (`ansible_*`) are kept, as Ansible does.
   */
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface Inventory {
  /** Absolute path of the inventory file. */
  readonly path: string;
  /** In the order the inventory first names them. */
  readonly hosts: readonly InventoryHost[];
}
