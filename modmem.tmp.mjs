const mods = process.argv.slice(2);
const used = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
let prev = used();
for (const m of mods) {
  await import(m.startsWith('/') ? m : m);
  const now = used();
  console.log(((now - prev) / 1048576).toFixed(2).padStart(6), 'MB', m);
  prev = now;
}
