import { ModelDriver } from '../src/testing/emulators/model.ts';
const m = new ModelDriver({ underlyings: ['BTC'], listedPerUnderlying: 4 }, Date.now());
console.log(m.options.length, [...m.listed]);
let n = 0; let t = Date.now();
for (let i = 0; i < 40; i++) { t += 100; const s = m.step(t); n += s.books.size; }
console.log('changes of listed', n);
console.log(m.state.underlyings[0]!.instruments.length);
