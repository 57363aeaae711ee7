import type { Plan, TeamPlan } from '../../compiler/plan';

/**
 * Renders one team's policy as an iptables-restore file for its firewall container. Same semantics as
 * `allows()` in src/compiler/policy.ts: first matching rule wins, then the default; traffic inside one
 * segment never reaches the firewall. Replies to allowed connections pass (conntrack). When the scenario
 * names an egress proxy, only that proxy may open connections into `internet` segments, whatever the rules
 * say ("all outbound web traffic through the proxy"). Pure: no I/O.
 */
export function renderFirewallRules(plan: Pick<Plan, 'network'>, team: TeamPlan): string {
  const cidr = new Map(team.segments.map((s) => [s.id, s.cidr]));
  const lines = [
    '*filter',
    ':INPUT DROP [0:0]',
    `:FORWARD ${plan.network.policy.default === 'allow' ? 'ACCEPT' : 'DROP'} [0:0]`,
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    // Hosts may ping their gateway; it answers nothing else.
    '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT',
    '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  ];
  const egress = plan.network.egress;
  if (egress) {
    const proxy = team.hosts.find((h) => h.name === egress.proxy);
    for (const segment of team.segments.filter((s) => s.zone === 'internet')) {
      lines.push(
        proxy
          ? `-A FORWARD ! -s ${proxy.ip}/32 -d ${segment.cidr} -m comment --comment egress-only-via-proxy -j DROP`
          : `-A FORWARD -d ${segment.cidr} -m comment --comment egress-proxy-missing -j DROP`,
      );
    }
  }
  plan.network.policy.rules.forEach((rule, index) => {
    const target = rule.action === 'allow' ? 'ACCEPT' : 'DROP';
    const anyPort = rule.ports.some(([lo, hi]) => lo <= 1 && hi >= 65535);
    const protos = rule.proto === 'any' ? (anyPort ? [undefined] : ['tcp', 'udp']) : [rule.proto];
    for (const from of rule.from) {
      for (const to of rule.to) {
        const src = cidr.get(from);
        const dst = cidr.get(to);
        if (!src || !dst || from === to) continue;
        for (const proto of protos) {
          const head = `-A FORWARD -s ${src} -d ${dst}${proto ? ` -p ${proto}` : ''}`;
          const tail = `-m comment --comment rule-${index} -j ${target}`;
          if (!proto || anyPort) lines.push(`${head} ${tail}`);
          else
            for (const [lo, hi] of rule.ports)
              lines.push(`${head} --dport ${lo === hi ? lo : `${lo}:${hi}`} ${tail}`);
        }
      }
    }
  });
  lines.push('COMMIT', '');
  return lines.join('\n');
}
