/**
 * The registry of one set of generated bindings: it stores their compact metadata and
 * compiles it, on first use, into per-type decoders and encoders and per-method request
 * and response codecs, which it caches.
 */
import { DecodeError, MissingTypeError } from "./codec-errors.js";
import { DecoderCompiler, type Decoder } from "./decode-compiler.js";
import { EncoderCompiler, type Encoder } from "./encode-compiler.js";
import { parseMembers, parseMethodEntry, parseTypeEntry, type MemberInfo, type MetadataChunk, type MethodMeta } from "./metadata.js";
import { compileMethod, type CompiledMethod } from "./method-compiler.js";
import type { XmlSource } from "./xml-reader.js";
import { PRIMITIVES_BY_NAME } from "./xsd.js";

export interface RegistryOptions {
  /** The namespace of method elements in requests, e.g. "urn:vim25". */
  readonly namespace: string;
  /** Wire and grammar name of managed object references. */
  readonly morefType: string;
  /** The root of all faults; SOAP fault details decode as it or one of its subtypes. */
  readonly faultType: string;
  /** The name unknown data objects in anyType slots are decoded as (their wire name is kept). */
  readonly genericType: string;
  /** The grammar name of the anyType slot type. */
  readonly anyType: string;
}

/**
 * One shard of the names index: for each area that defines names of the shard's range, the
 * area's number and those names, separated by spaces.
 */
export type NameShard = readonly (readonly [area: number, names: string])[];

/**
 * Where the definitions of a set of bindings live, so that the metadata of a module (area)
 * is loaded only when one of its types or methods is first needed. Which area defines a
 * name is told by the shards of the names index, each loaded on first use of a name of its
 * range: a program that uses a few names loads a few shards, not the index of every name.
 */
export interface AreaIndex {
  /** One loader per area: it resolves to the area's metadata module, which the registry adds. */
  readonly loaders: readonly (() => Promise<{ readonly metadata: MetadataChunk }>)[];
  /**
   * The shards of the names index, in name order (UTF-16 code units, as `<` compares): shard
   * i holds the names from `starts[i]` up to, not including, `starts[i + 1]`; `starts[0]`
   * is the empty string.
   */
  readonly shards: {
    readonly starts: readonly string[];
    readonly loaders: readonly (() => Promise<{ readonly names: NameShard }>)[];
  };
}

/**
 * The index itself, or a loader of it: the registry loads it on first use of any name, so
 * that a program that imports the bindings but calls nothing loads no metadata at all.
 */
export type AreaIndexSource = AreaIndex | (() => Promise<AreaIndex>);

export interface ObjectType {
  readonly name: string;
  readonly base: string | undefined;
  readonly ownSpec: string;
  /** All members, base first; filled on first use. */
  members?: readonly MemberInfo[];
}

export type TypeKind = "primitive" | "any" | "moref" | "enum" | "object";

export class TypeRegistry {
  readonly options: RegistryOptions;
  private readonly objects = new Map<string, ObjectType>();
  private readonly managedTypes = new Map<string, ObjectType>();
  private readonly enums = new Set<string>();
  private readonly methodMeta = new Map<string, MethodMeta>();
  private readonly compiled = new Map<string, CompiledMethod>();
  readonly decoders: DecoderCompiler;
  readonly encoders: EncoderCompiler;
  private areas: AreaIndex | undefined;
  /** Set while the index is still to be loaded. */
  private indexLoader: (() => Promise<AreaIndex>) | undefined;
  private indexLoading: Promise<void> | undefined;
  private readonly areaOf = new Map<string, number>();
  /** Shards of the names index being loaded or loaded, and those that have arrived. */
  private readonly shardLoads = new Map<number, Promise<void>>();
  private readonly shardsArrived = new Set<number>();
  private readonly loaded = new Map<number, Promise<void>>();
  /** Areas whose metadata has been added. */
  private readonly arrived = new Set<number>();
  /** Names whose module and the modules of everything they refer to are loaded. */
  private readonly closed = new Set<string>();

  constructor(options: RegistryOptions, areas?: AreaIndexSource) {
    this.options = options;
    this.decoders = new DecoderCompiler(this);
    this.encoders = new EncoderCompiler(this);
    if (typeof areas === "function") this.indexLoader = areas;
    else if (areas !== undefined) this.setIndex(areas);
  }

  private setIndex(areas: AreaIndex): void {
    this.areas = areas;
    this.indexLoader = undefined;
  }

  /** The shard of the names index whose range holds `name`: the last that starts at or before it. */
  private shardOf(name: string): number {
    return Math.max(0, this.areas?.shards.starts.findLastIndex((start) => start <= name) ?? 0);
  }

  /** Loads the shards of the names index that tell where `names` are defined. */
  private async locate(names: Iterable<string>): Promise<void> {
    const shards = new Set<number>();
    for (const n of names) if (!this.known(n) && !this.builtin(n)) shards.add(this.shardOf(n));
    await Promise.all([...shards].map((i) => this.loadShard(i)));
  }

  /** Loads shard `i` of the names index, once. */
  private loadShard(i: number): Promise<void> {
    let p = this.shardLoads.get(i);
    if (p === undefined) {
      const loader = this.areas?.shards.loaders[i];
      p = (loader === undefined ? Promise.resolve() : loader()).then((m) => {
        for (const [area, names] of m?.names ?? []) for (const n of names.split(" ")) this.areaOf.set(n, area);
        this.shardsArrived.add(i);
      });
      this.shardLoads.set(i, p);
    }
    return p;
  }

  /** Loads the index of the areas, once, when it was given as a loader. */
  private index(): Promise<void> {
    const loader = this.indexLoader;
    if (loader === undefined) return Promise.resolve();
    this.indexLoading ??= loader().then(
      (areas) => this.setIndex(areas),
      (e: unknown) => {
        this.indexLoading = undefined;
        throw e;
      },
    );
    return this.indexLoading;
  }

  /**
   * True when `name` is not registered yet but a bindings module that defines it can be
   * loaded (before the index, or the shard of the index that would tell, is loaded, any
   * name not registered may be).
   */
  loadable(name: string): boolean {
    if (this.known(name) || this.builtin(name) || this.complete) return false;
    if (this.indexLoader !== undefined || this.areaOf.has(name)) return true;
    return this.areas !== undefined && !this.shardsArrived.has(this.shardOf(name));
  }

  /** The types no bindings module defines: XML Schema's primitives, the reference type and anyType. */
  private builtin(name: string): boolean {
    return PRIMITIVES_BY_NAME.has(name) || name === this.options.morefType || name === this.options.anyType;
  }

  private known(name: string): boolean {
    return this.objects.has(name) || this.enums.has(name) || this.managedTypes.has(name) || this.methodMeta.has(name);
  }

  /**
   * Loads the module defining `name` and the modules defining every type it refers to
   * (base, members; parameters and return of a method), transitively, following the
   * metadata as the modules arrive: only what `name` needs, not everything its modules
   * need. Subtypes are not followed: `run` loads the module of a subtype a value names.
   */
  async load(name: string): Promise<void> {
    await this.index();
    if (this.areas === undefined || this.closed.has(name)) return;
    const seen = new Set([name]);
    let frontier = [name];
    await this.locate(frontier);
    while (frontier.length > 0) {
      const areas = new Set<number>();
      for (const n of frontier) {
        const a = this.areaOf.get(n);
        if (a !== undefined) areas.add(a);
      }
      await Promise.all([...areas].map((a) => this.loadArea(a)));
      const mentioned = new Set<string>();
      for (const n of frontier) for (const t of this.refersTo(n)) if (!seen.has(t) && !this.closed.has(t)) mentioned.add(t);
      await this.locate(mentioned);
      const next: string[] = [];
      for (const t of mentioned) {
        if (this.areaOf.has(t)) {
          seen.add(t);
          next.push(t);
        }
      }
      frontier = next;
    }
    for (const n of seen) this.closed.add(n);
  }

  /** The type names a registered type or method mentions: base and members, or parameters and return. */
  private refersTo(name: string): string[] {
    const t = this.objects.get(name) ?? this.managedTypes.get(name);
    if (t !== undefined) return [...(t.base === undefined ? [] : [t.base]), ...parseMembers(t.ownSpec).map((m) => m.type)];
    const m = this.methodMeta.get(name);
    if (m === undefined) return [];
    const returns = m.returns === undefined ? "" : ` returnval:${m.returns}`;
    return parseMembers(`${m.params}${returns}`.trim()).map((p) => p.type);
  }

  /**
   * True when every module of the bindings is loaded: a decode can then never stop for a
   * module (MissingTypeError), so it need not be able to read its document again.
   */
  get complete(): boolean {
    if (this.indexLoader !== undefined) return false; // the index itself is still to be loaded
    return this.areas === undefined || this.arrived.size >= this.areas.loaders.length;
  }

  /** Loads every module of the bindings. */
  async loadAll(): Promise<void> {
    await this.index();
    await Promise.all((this.areas?.loaders ?? []).map((_, i) => this.loadArea(i)));
  }

  private loadArea(i: number): Promise<void> {
    let p = this.loaded.get(i);
    if (p === undefined) {
      const loader = this.areas?.loaders[i];
      p = (loader === undefined ? Promise.resolve() : loader().then((m) => void this.add(m.metadata))).then(() => {
        this.arrived.add(i);
      });
      this.loaded.set(i, p);
    }
    return p;
  }

  /**
   * Runs `fn` (an encode or a decode); when it needs a type from a module that is not
   * loaded yet, loads that module and runs `fn` again.
   */
  async run<T>(fn: () => T, document?: XmlSource): Promise<T> {
    await this.index();
    let scanned = false;
    for (;;) {
      try {
        return fn();
      } catch (e) {
        if (!(e instanceof MissingTypeError) || !this.loadable(e.typeName)) throw e;
        // A decode that met one type of an unloaded module will likely meet others: load the
        // modules of every type the document names at once, so it is decoded again only once.
        if (document !== undefined && !scanned) {
          scanned = true;
          // The scan is loaded with the modules it finds: only a program that meets one needs it.
          const { typeNamesIn } = await import("./type-names.js");
          await Promise.all(
            typeNamesIn(document)
              .filter((n) => this.loadable(n))
              .map((n) => this.load(n)),
          );
        }
        await this.load(e.typeName);
      }
    }
  }

  /** Throws MissingTypeError when `name` is unknown but loadable. */
  private need(name: string): void {
    if (this.loadable(name)) throw new MissingTypeError(name);
  }

  /** Adds the metadata of one generated module (the registry calls it when it loads an area). */
  add(chunk: MetadataChunk): this {
    if (chunk.enums !== undefined && chunk.enums !== "") for (const e of chunk.enums.split(" ")) this.enums.add(e);
    for (const entry of chunk.objects ?? []) {
      const { name, base, members } = parseTypeEntry(entry);
      this.objects.set(name, { name, base, ownSpec: members });
    }
    for (const entry of chunk.managed ?? []) {
      const { name, base, members } = parseTypeEntry(entry);
      this.managedTypes.set(name, { name, base, ownSpec: members });
    }
    for (const entry of chunk.methods ?? []) {
      const m = parseMethodEntry(entry);
      this.methodMeta.set(m.name, m);
    }
    return this;
  }

  kindOf(type: string): TypeKind | undefined {
    if (this.objects.has(type)) return "object";
    if (this.enums.has(type)) return "enum";
    if (type === this.options.morefType) return "moref";
    if (type === this.options.anyType) return "any";
    if (PRIMITIVES_BY_NAME.has(type)) return "primitive";
    this.need(type);
    return undefined;
  }

  isEnum(type: string): boolean {
    if (this.enums.has(type)) return true;
    this.need(type);
    return false;
  }

  object(name: string): ObjectType | undefined {
    const t = this.objects.get(name);
    if (t === undefined) this.need(name);
    return t;
  }

  /** Members of a data object, base first. */
  membersOf(name: string): readonly MemberInfo[] {
    const t = this.objects.get(name);
    if (t === undefined) this.need(name);
    if (t === undefined) throw new DecodeError(`unknown data object type '${name}'`);
    if (t.members === undefined) {
      const base = t.base === undefined ? [] : this.membersOf(t.base);
      t.members = [...base, ...parseMembers(t.ownSpec)];
    }
    return t.members;
  }

  /** True when `sub` is `base` or inherits from it. */
  isSubtype(sub: string, base: string): boolean {
    for (let t: string | undefined = sub; t !== undefined; t = this.object(t)?.base) if (t === base) return true;
    return false;
  }

  decoder(type: string): Decoder {
    return this.decoders.slot(type);
  }

  encoder(type: string): Encoder {
    return this.encoders.slot(type);
  }

  /** The compiled codec of a method; throws for a method these bindings do not define. */
  method(name: string): CompiledMethod {
    let m = this.compiled.get(name);
    if (m === undefined) {
      const meta = this.methodMeta.get(name);
      if (meta === undefined) this.need(name);
      if (meta === undefined) throw new DecodeError(`unknown method '${name}'`);
      m = compileMethod(this, meta);
      this.compiled.set(name, m);
    }
    return m;
  }

  /** Indexes of the areas whose metadata has been added (for tests and tools). */
  loadedAreas(): number[] {
    return [...this.arrived].sort((a, b) => a - b);
  }

  /** Indexes of the shards of the names index that have been loaded (for tests and tools). */
  loadedShards(): number[] {
    return [...this.shardsArrived].sort((a, b) => a - b);
  }

  /** Names of all data object types (for tests and tools). */
  objectNames(): string[] {
    return [...this.objects.keys()];
  }

  methodNames(): string[] {
    return [...this.methodMeta.keys()];
  }
}
