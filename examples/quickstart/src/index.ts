/** Runs the quick-start demo and prints what happens. `--fresh` starts over with empty stores. */
import { runDemo } from './demo';

runDemo((line) => console.log(line), { fresh: process.argv.includes('--fresh') }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
