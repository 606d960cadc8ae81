import net from 'node:net';
const delay = Number(process.argv[2] ?? 1);
net.createServer((c) => {
  const s = net.connect(5432, '127.0.0.1'); c.setNoDelay(true); s.setNoDelay(true);
  const pipe = (from, to) => from.on('data', (d) => setTimeout(() => to.write(d), delay));
  pipe(c, s); pipe(s, c);
  c.on('close', () => s.destroy()); s.on('close', () => c.destroy());
  c.on('error', () => s.destroy()); s.on('error', () => c.destroy());
}).listen(15432, '127.0.0.1', () => console.log('proxy up'));
