import { describe, expect, it } from 'vitest';
import { ChunkedList } from '../../src/collections/chunked-list.js';

describe('ChunkedList', () => {
  it('keeps every element in order across chunk boundaries', () => {
    const list = new ChunkedList<number>();
    for (let i = 0; i < 10_000; i++) list.push(i * 3);
    expect(list.length).toBe(10_000);
    for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999]) expect(list.at(i)).toBe(i * 3);
  });

  it('starts over after clear()', () => {
    const list = new ChunkedList<string>();
    for (let i = 0; i < 5000; i++) list.push(`x${i}`);
    list.clear();
    expect(list.length).toBe(0);
    list.push('a');
    list.push('b');
    expect([list.length, list.at(0), list.at(1)]).toEqual([2, 'a', 'b']);
  });
});
