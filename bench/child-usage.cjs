// Preloaded into a child process the bench times (node --require bench/child-usage.cjs ...): at
// exit it writes that process's own CPU time (all threads) and peak RSS to $TBKIT_BENCH_USAGE,
// which a parent cannot read once the child has exited. Plain JS: it loads before tsx.
'use strict';
const fs = require('node:fs');

/**
 * This process's peak RSS in KB. On Linux from VmHWM: getrusage's maxrss is carried over from the
 * parent through fork and exec, so a child spawned by a large parent would report the parent's.
 */
function peakRssKB() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const file = process.env.TBKIT_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssKB: peakRssKB() }));
  });
}

module.exports = { peakRssKB };
