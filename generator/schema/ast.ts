/**
 * The abstract syntax of a VI schema written in the vi-generator grammar
 * (the grammar of libvirt's src/esx/esx_vi_generator.input, plus the extensions
 * documented in README "The schema language").
 */

import type { Occ } from "../../runtime/soap/metadata.js";

/** The codec core's occurrences (r, rl, o, ol) and i: ignored (skipped when decoding, not in the metadata). */
export type Occurrence = Occ | "i";

export const OCCURRENCES: readonly Occurrence[] = ["r", "rl", "o", "ol", "i"];

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
}

/** `file:line`, as messages and generated comments name a place in the schema. */
export function locText(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}`;
}

/** A type as written in a member line: `String`, `HostVirtualSwitch`, `ManagedObjectReference:VirtualMachine`. */
export interface TypeRef {
  readonly name: string;
  /** For `ManagedObjectReference:<Managed>`: the managed object type the reference points to. */
  readonly moType?: string;
}

export interface MemberDecl {
  readonly type: TypeRef;
  readonly name: string;
  readonly occ: Occurrence;
  readonly loc: SourceLoc;
}

export interface ParamDecl extends MemberDecl {
  /** For `_this:<member>`: the ServiceContent member that `_this` is bound to. */
  readonly bind?: string;
}

export interface EnumDecl {
  readonly kind: "enum";
  readonly name: string;
  readonly values: readonly string[];
  readonly loc: SourceLoc;
}

export interface ObjectDecl {
  readonly kind: "object";
  readonly managed: boolean;
  readonly name: string;
  readonly base?: string;
  readonly members: readonly MemberDecl[];
  readonly loc: SourceLoc;
}

export interface ReturnDecl {
  readonly type: TypeRef;
  readonly occ: Occurrence;
}

export interface MethodDecl {
  readonly kind: "method";
  readonly name: string;
  readonly returns?: ReturnDecl;
  /**
   * For a method that returns a Task (`returns ManagedObjectReference:Task r result <Type> <occ>`):
   * what the task's `info.result` holds when it succeeds. Typing only: not on the wire.
   */
  readonly taskResult?: ReturnDecl;
  readonly params: readonly ParamDecl[];
  readonly loc: SourceLoc;
}

export type Decl = EnumDecl | ObjectDecl | MethodDecl;

export interface SchemaFile {
  /** The path as given to the parser (used in error messages and generated headers). */
  readonly file: string;
  readonly decls: readonly Decl[];
}

export function isList(occ: Occurrence): boolean {
  return occ === "rl" || occ === "ol";
}

export function isRequired(occ: Occurrence): boolean {
  return occ === "r" || occ === "rl";
}

export function typeRefText(t: TypeRef): string {
  return t.moType === undefined ? t.name : `${t.name}:${t.moType}`;
}
