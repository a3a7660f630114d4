/**
 * `import … from "esxvi/vmx"`: libvirt's VMX <-> domain XML converter, pure and offline (no
 * connection, no file access: the caller reads and writes the files).
 */
export * from "../drivers/vmx/index.js";
