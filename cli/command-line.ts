/**
 * virsh's command strings (vshCommandStringParse): the shell's lines and a single argument
 * after the global options (`esxvi -c URI "list --all; dominfo web01"`). Words are separated
 * by blanks; '…' keeps its text as is; "…" keeps it too, with \ escaping the next character;
 * a \ outside quotes escapes the next character; an unquoted ; or a line end ends a command;
 * an unquoted # at the start of a word starts a comment.
 */
import { UsageError } from "./commands/failures.js";

/** The commands of a command string, each as its words; empty commands are left out. */
export function splitCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === " " || c === "\t") {
      endWord();
    } else if (c === "\n" || c === ";") {
      endCommand();
    } else if (c === "#" && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (c === "'") {
      inWord = true;
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new UsageError("missing '");
      word += text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        word += text[j];
      }
      if (j >= text.length) throw new UsageError('missing "');
      i = j;
    } else if (c === "\\" && i + 1 < text.length) {
      inWord = true;
      word += text[++i];
    } else {
      inWord = true;
      word += c;
    }
  }
  endCommand();
  return commands;
}

/** Splits argv-style words at standalone ";" words (virsh's argv parsing accepts them too). */
export function splitArgv(argv: readonly string[]): string[][] {
  const out: string[][] = [[]];
  for (const a of argv) {
    if (a === ";") out.push([]);
    else out[out.length - 1]?.push(a);
  }
  return out.filter((c) => c.length > 0);
}
