import type { Plan } from '../../compiler/plan';
import type { Clients } from '../docker/clients';
import { LABEL } from '../labels';
import { type HostStatus, missingHosts, sortHosts } from '../lifecycle/range-status';
import { observeSwarm, serviceLabels } from './swarm-observe';
import { currentTask, taskAddresses } from './task-state';

/**
 * Every live host of an exercise deployed on Swarm: the state of its service's current task
 * (`running`, `failed`, `complete`…, or `no task`) and the addresses the task got. Given the plan,
 * live hosts without a service are listed as `missing`.
 */
export async function swarmStatus(
  clients: Clients,
  exercise: string | 'all',
  plan?: Plan,
): Promise<HostStatus[]> {
  const { services } = await observeSwarm(clients, exercise);
  const hosts: HostStatus[] = await Promise.all(
    services.map(async (s) => {
      const labels = serviceLabels(s);
      const task = await currentTask(clients, s.ID);
      const node = task?.NodeID ? ` on node ${task.NodeID.slice(0, 12)}` : '';
      return {
        exercise: labels[LABEL.exercise] ?? '',
        team: labels[LABEL.team] ?? '',
        host: labels[LABEL.host] ?? '',
        role: labels[LABEL.role] ?? '',
        name: s.Spec?.Name ?? s.ID,
        state: task?.Status?.State ?? 'no task',
        status: `${task?.Status?.Message ?? 'no task meant to run'}${node}`,
        ips: task ? [...taskAddresses(task).values()] : [],
      };
    }),
  );
  if (plan && exercise !== 'all') hosts.push(...missingHosts(plan, exercise, hosts, 'no service'));
  return sortHosts(hosts);
}
