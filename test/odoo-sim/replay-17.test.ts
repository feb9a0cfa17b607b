import { describeReplay } from './support/replay-suite.js';

describeReplay(17, [
  { file: '01_login_version.jsonl', seq: 7, diff: /^\$\.result(\[0\])?: (length 2 ≠ 1|"erp" ≠ "odoo")$/, why: 'db.list lists the databases of that server (erp, erp_demo); the simulator has one' },
  { file: '03_incremental_sync.jsonl', seq: 18, diff: /^\$\.result: length 4 ≠ 3$/, why: 'the recorded DB had a product RUN-42-135924 from an earlier run' },
  { file: '04_stock.jsonl', seq: 2, diff: /^\$\.result: length 2 ≠ 1$/, why: 'the recorded DB had a location "Shelf 135924" from an earlier run' },
]);
