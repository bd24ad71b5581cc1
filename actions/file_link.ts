import { linkSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, type Stats } from "node:fs";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { tempPathBeside } from "../core/fs/temp_path.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, inputTry, none, type Decision } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";

export interface LinkTarget {
  /** Where the link is. */
  path: string;
  /** What it points at. */
  src: string;
  hard: boolean;
  force: boolean;
}

/**
 * A symbolic link (or hard link) at `path` to `src`. A symbolic link pointing elsewhere is
 * replaced; anything else in the way fails the step unless `force`. Replacement is atomic: the
 * new link is made beside and renamed over the old path.
 */
export function decideLink(ctx: ActionContext, link: LinkTarget): Decision {
  const what = link.hard ? "hard link" : "link";
  const source = link.hard ? inputTry(`create ${what}`, link.path, () => sourceOfHardLink(link.src), link.src) : undefined;
  const stat = fsTry("read", link.path, () => lstatIfExists(link.path));
  if (!stat) {
    const parents = missingParents(`create ${what}`, link.path);
    return {
      change: { kind: "create", reason: `${what} does not exist${parentsNote(parents)}`, detail: `${link.path} -> ${link.src}`, paths: [link.path] },
      make: () => {
        makeDirectories(ctx, parents);
        fsTry(`create ${what}`, link.path, () => makeLink(link, link.path));
        ctx.fileChanged({ path: link.path, operation: "created", size_bytes: 0, kind: link.hard ? "file" : "link" });
      },
    };
  }
  const current = describeCurrent(link, stat, source);
  if (current === "same") return none(`${what} already points at "${link.src}"`);
  if (current !== "other link" && !link.force) {
    throw fsFailure(`create ${what}`, link.path, new Error(`${current} is in the way (force: true replaces it)`));
  }
  if (stat.isDirectory() && fsTry("read", link.path, () => readdirSync(link.path).length) > 0) {
    throw fsFailure(`create ${what}`, link.path, new Error("a directory that is not empty is in the way"));
  }
  return {
    change: { kind: "update", reason: current === "other link" ? `link points at "${readlinkSync(link.path)}"` : `${current} is replaced`, detail: `${link.path} -> ${link.src}`, paths: [link.path] },
    make: () => {
      fsTry(`create ${what}`, link.path, () => {
        if (stat.isDirectory()) rmdirSync(link.path);
        const temporary = tempPathBeside(link.path, "link");
        makeLink(link, temporary);
        renameSync(temporary, link.path);
      });
      ctx.fileChanged({ path: link.path, operation: "modified", size_bytes: 0, kind: link.hard ? "file" : "link" });
    },
  };
}

function sourceOfHardLink(src: string): Stats {
  const stat = statSync(src);
  if (stat.isDirectory()) throw new Error(`"${src}" is a directory: a hard link needs a file`);
  return stat;
}

function describeCurrent(link: LinkTarget, stat: Stats, source: Stats | undefined): "same" | "other link" | "a file" | "a directory" | "a link" {
  if (link.hard) {
    if (stat.ino === source!.ino && stat.dev === source!.dev) return "same";
    return stat.isDirectory() ? "a directory" : stat.isSymbolicLink() ? "a link" : "a file";
  }
  if (stat.isSymbolicLink()) return readlinkSync(link.path) === link.src ? "same" : "other link";
  return stat.isDirectory() ? "a directory" : "a file";
}

function makeLink(link: LinkTarget, at: string): void {
  if (link.hard) linkSync(link.src, at);
  else symlinkSync(link.src, at);
}
