/** The `tandem serve` processes sharing the store (GET /api/nodes): reloaded on job changes and every 5 s (beats). */
import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { Ago, Loading } from '../ui';

interface NodesData {
  nodes: { id: string; host: string; pid: number; startedAt: string; lastSeen: string; runningJobs: number }[];
}

const REFRESH_MS = 5_000;

export function Nodes() {
  const n = useApi<NodesData>('/api/nodes', ['jobs', 'runs']);
  const [now, setNow] = useState(Date.now());
  const { reload } = n;
  useEffect(() => {
    const t = setInterval(() => {
      setNow(Date.now());
      reload();
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  const list = n.data?.nodes;
  return (
    <>
      <h2 id="h-nodes">Nodes</h2>
      <Loading error={n.error} loading={n.loading && !list} />
      {list && (
        <div class="scroll">
          <table id="nodes" aria-labelledby="h-nodes">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Host</th>
                <th scope="col">PID</th>
                <th scope="col">Last seen</th>
                <th scope="col">Running jobs</th>
              </tr>
            </thead>
            <tbody>
              {list.map((node) => (
                <tr key={node.id}>
                  <td>
                    <code>{node.id}</code>
                  </td>
                  <td>{node.host}</td>
                  <td>{node.pid}</td>
                  <td>
                    <Ago at={node.lastSeen} now={Math.max(now, Date.parse(node.lastSeen))} />
                  </td>
                  <td>{node.runningJobs}</td>
                </tr>
              ))}
              {list.length === 0 && (
                <tr>
                  <td colSpan={5} class="muted">
                    No node has announced itself yet: Tandem is starting, or no worker runs.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {list?.length === 1 && <p class="muted" id="nodes-single">One process does all the work (the usual setup with a SQLite store). Several nodes share a PostgreSQL store: see docs/deploy.md.</p>}
    </>
  );
}
