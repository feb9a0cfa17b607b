// `tandem` as its own process, the way bin/tandem.js runs it (without needing dist/): for tests that kill
// it, send it signals or run it next to the test's simulators.
import { run } from '../../../src/cli/main.js';

process.exit(await run(process.argv));
