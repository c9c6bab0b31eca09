import { flushLogs } from './batched-lines';
import { MaskingLogger } from './masking-logger';
import { SecretMasker } from './secret-masker';

describe('MaskingLogger', () => {
  /** What one log line writes to stdout, with stdout a terminal or not. */
  const written = (tty: boolean): string => {
    const was = process.stdout.isTTY;
    const chunks: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
    try {
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
      new MaskingLogger(new SecretMasker(['s3cret-value']), 'log').log('enabled with s3cret-value', 'HostResults');
      flushLogs();
    } finally {
      write.mockRestore();
      Object.defineProperty(process.stdout, 'isTTY', { value: was, configurable: true });
    }
    return chunks.join('');
  };

  it('writes plain text where stdout is no terminal (a log file, a journal), masked', () => {
    const line = written(false);
    expect(line).toMatch(/LOG \[HostResults\] enabled with \*\*\*/);
    expect(line).not.toMatch(/\x1b\[/);
  });

  it('colours on a terminal, as Nest does', () => {
    expect(written(true)).toMatch(/\x1b\[/);
  });
});
