import { Type, type Static } from "@sinclair/typebox";

/** The shape of `artifacts.yaml` (seed 002), as committed in `schemas/artifacts-policy.schema.json`. */

const Age = Type.String({ pattern: "^[0-9]+(s|m|h|d|w)$", description: 'An age such as "30d", "12h" or "2w"' });

const Bytes = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.String({ pattern: "^[0-9]+(\\.[0-9]+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", description: 'A size such as "500MB" or "2GiB"' }),
]);

const strict = { additionalProperties: false } as const;

export const FamilyRetentionSchema = Type.Object({
  keep: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: "How many of the newest entries to keep" })),
  pin: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "Entry ids never deleted" })),
  keep_within: Type.Optional(Age),
  max_size: Type.Optional(Bytes),
}, strict);

export const AlwaysKeep = Type.Union([Type.Literal("last_pass"), Type.Literal("last_run"), Type.Literal("pinned")]);

export const PolicySchema = Type.Object({
  schema_version: Type.Optional(Type.Literal(1)),
  retention: Type.Optional(Type.Record(Type.String({ minLength: 1 }), FamilyRetentionSchema, {
    description: 'Per-family retention; the family "*" applies to every family not listed',
  })),
  families: Type.Optional(Type.Record(Type.String({ pattern: "^[A-Za-z0-9_.-]+$" }), Type.Object({
    glob: Type.String({ minLength: 1, description: "A glob relative to the store root; each matched directory or file is one entry" }),
  }, strict))),
  gc: Type.Optional(Type.Object({
    always_keep: Type.Optional(Type.Array(AlwaysKeep)),
    auto: Type.Optional(Type.Boolean()),
  }, strict)),
  trash: Type.Optional(Type.Object({
    retention: Type.Optional(Type.String({ pattern: "^[0-9]+(s|m|h|d|w)$", description: 'How long gc keeps what it moved to the trash before deleting it for good (default "30d")' })),
  }, strict)),
  compaction: Type.Optional(Type.Object({
    jsonl: Type.Optional(Type.Object({
      enabled: Type.Optional(Type.Boolean()),
      min_size_kb: Type.Optional(Type.Integer({ minimum: 0 })),
      dict_threshold: Type.Optional(Type.Integer({ minimum: 2, maximum: 1_000_000 })),
    }, strict)),
    markdown: Type.Optional(Type.Object({
      enabled: Type.Optional(Type.Boolean()),
      min_size_kb: Type.Optional(Type.Integer({ minimum: 0 })),
      remove_empty_sections: Type.Optional(Type.Boolean()),
      canonical_headers: Type.Optional(Type.Boolean()),
    }, strict)),
  }, strict)),
  indexing: Type.Optional(Type.Object({
    parallel_workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    checksum_buffer_size_kb: Type.Optional(Type.Integer({ minimum: 4, maximum: 65536 })),
    max_files_per_scan: Type.Optional(Type.Integer({ minimum: 1 })),
  }, strict)),
}, { ...strict, $schema: "http://json-schema.org/draft-07/schema#", title: "mooncake artifacts.yaml" });

export type PolicyDocument = Static<typeof PolicySchema>;

