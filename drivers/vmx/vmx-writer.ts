/** Accumulates `key = "value"` lines of a .vmx file. */
export class VmxWriter {
  private readonly lines: string[] = [];

  line(key: string, value: string | number): void {
    this.lines.push(`${key} = "${value}"\n`);
  }

  toString(): string {
    return this.lines.join("");
  }
}
