/** Runs the quick-start demo and prints what happens. */
import { runDemo } from './demo';

runDemo((line) => console.log(line)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
