import { describeReplay } from './support/replay-suite.js';

describeReplay(19, [
  { file: '01_login_version.jsonl', seq: 8, diff: /^\$\.result(\[0\])?: (length 3 ≠ 1|"erp" ≠ "odoo")$/, why: 'db.list lists the databases of that server (erp, erp19, erp_demo); the simulator has one' },
  { file: '07_cancellation.jsonl', seq: 4, diff: /^\$\[0\]\.(qty_available|virtual_available|free_qty): \d+ ≠ \d+$/, why: 'an earlier partial run of 07 (orders 5–8) had delivered one RUN-44 in the recorded DB: 19 on hand there, 20 here' },
  { file: '07_cancellation.jsonl', seq: 8, diff: /^\$\[0\]\.(qty_available|virtual_available|free_qty): \d+ ≠ \d+$/, why: 'same earlier delivery as 07#4' },
]);
