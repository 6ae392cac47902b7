// Guest-side shell for the lab scenarios, shared by the test tier, the
// fixture recorder and `rdma-ts lab run`. Each scenario builds on the state
// the previous one left (they run in this order in one boot) and writes the
// values tests need (PIDs, namespaces) as KEY=VALUE lines to $LAB_VARS.
// Fixed veth MACs make node GUIDs the same on every boot.

export interface Scenario {
  name: string;
  /** What the kernel holds once setup has run. */
  describe: string;
  setup: string;
  /** Stops the live traffic so two tools see one state (QPs stay in RTS, counters stop). */
  freeze?: string;
  teardown: string;
}

const VARS = 'LAB_VARS=${LAB_VARS:-/tmp/lab-vars}';

/** wait_for FILE PATTERN TENTHS: waits up to TENTHS tenths of a second for FILE to contain PATTERN. */
const WAIT_FOR = `wait_for() { i=0; until grep -q -- "$2" "$1" 2>/dev/null || [ $i -ge $3 ]; do sleep 0.1; i=$((i+1)); done; ` +
  `grep -q -- "$2" "$1"; }`;

/**
 * After SIGSTOP the kernel still completes work requests already posted (rxe
 * runs them in its own tasks), so PSNs move for a moment: wait until two QP
 * dumps a second apart are identical (at most 30 s).
 */
const SETTLE = `i=0; a=$(rdma res show qp | md5sum); while [ $i -lt 30 ]; do sleep 1; b=$(rdma res show qp | md5sum); [ "$a" = ` +
  `"$b" ] && break; a=$b; i=$((i+1)); done`;

/**
 * Before any RDMA module is loaded: the kernel's module autoloading is
 * pointed at /bin/false, so opening NETLINK_RDMA cannot load ib_core
 * (request_module fails) and fails with EPROTONOSUPPORT, as on a kernel
 * without RDMA. The teardown puts the modprobe path back.
 */
export const NO_RDMA: Scenario = {
  name: 'no-rdma',
  describe: 'no RDMA core: ib_core not loaded and module autoloading off (NETLINK_RDMA fails with EPROTONOSUPPORT)',
  setup: `
if grep -q '^ib_core ' /proc/modules; then echo "lab: ib_core is already loaded"; exit 18; fi
cat /proc/sys/kernel/modprobe > /tmp/lab-modprobe-path && echo /bin/false > /proc/sys/kernel/modprobe || exit 18
`,
  teardown: 'cat /tmp/lab-modprobe-path > /proc/sys/kernel/modprobe',
};

export const DEVICES: Scenario = {
  name: 'devices',
  describe: 'rxe0 (Soft-RoCE, stock rdma_rxe) on veth0 10.99.0.1 and siw0 (Soft-iWARP, built out of tree) on veth1 10.99.0.2',
  setup: `
ulimit -l unlimited
modprobe rdma_rxe || { echo "lab: modprobe rdma_rxe failed"; exit 10; }
modprobe siw || { echo "lab: modprobe siw failed (out-of-tree build missing?)"; exit 10; }
modprobe -a ib_uverbs rdma_ucm ib_umad
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
ip addr add 10.99.0.1/24 dev veth0; ip addr add 10.99.0.2/24 dev veth1
ip link set veth0 up; ip link set veth1 up
rdma link add rxe0 type rxe netdev veth0 || exit 11
rdma link add siw0 type siw netdev veth1 || exit 11
`,
  teardown: '',
};

/**
 * The GID index of rxe0's IPv4 RoCE v2 address: 1 on stock rxe (0 is the
 * default GID), 3 on rdma_rxe_gid (v1 and v2 defaults, then v1 and v2 of the
 * address); a lab booted with that rxe as `rxe` exports RXE_IPV4_GID=3.
 */
const RXE_IPV4_GID = '${RXE_IPV4_GID:-1}';

/** Counts rxe0's QPs in state $1 whose comm is $2 (rdma has no comm filter for QPs). */
const QP_COUNT = `qp_count() { rdma res show qp link rxe0/1 | grep " comm $2" | grep -c " state $1 "; }`;

/** The rping scenario's processes, as shell variables of its lab-vars file (bench/lab-guest.ts stops them too). */
export const RPING_PIDS = '$SPID $CPID $WSPID $WCPID $PSPID $PCPID $QSPID $QCPID $Q1SPID $Q1CPID';

export const RPING: Scenario = {
  name: 'rping',
  describe: 'rping server and client on rxe0 (10.99.0.1) and on siw0 (10.99.0.2), ibv_rc_pingpong over rxe0 (verbs QPs without ' +
    'a cm_id), two ibv_srq_pingpong pairs over rxe0 (an SRQ on each side with 2 QPs, then with 1): QPs, CQs, MRs, PDs, SRQs, ' +
    'cm_ids, contexts',
  setup: `${VARS}; ${WAIT_FOR}; ${QP_COUNT}
nice -n 19 rping -s -a 10.99.0.1 -v -C 100000000 > /tmp/rping-rxe-s.log 2>&1 & SPID=$!
nice -n 19 rping -s -a 10.99.0.2 -v -C 100000000 > /tmp/rping-siw-s.log 2>&1 & WSPID=$!
nice -n 19 ibv_rc_pingpong -e -d rxe0 -g ${RXE_IPV4_GID} -n 1000000000 > /tmp/pp-s.log 2>&1 & PSPID=$!
sleep 1
nice -n 19 rping -c -a 10.99.0.1 -v -C 100000000 > /tmp/rping-rxe-c.log 2>&1 & CPID=$!
nice -n 19 rping -c -a 10.99.0.2 -v -C 100000000 > /tmp/rping-siw-c.log 2>&1 & WCPID=$!
nice -n 19 ibv_rc_pingpong -e -d rxe0 -g ${RXE_IPV4_GID} -n 1000000000 127.0.0.1 > /tmp/pp-c.log 2>&1 & PCPID=$!
wait_for /tmp/rping-rxe-c.log ping 100 || { echo "lab: rping over rxe0 did not start"; exit 12; }
wait_for /tmp/rping-siw-c.log ping 100 || { echo "lab: rping over siw0 did not start"; exit 12; }
i=0; until [ "$(qp_count RTS ibv_rc_pingpong)" -ge 2 ]; do
  i=$((i+1)); [ $i -le 30 ] && kill -0 $PCPID 2>/dev/null ||
    { echo "lab: ibv_rc_pingpong did not connect"; cat /tmp/pp-s.log /tmp/pp-c.log; exit 12; }
  sleep 0.5
done
# The SRQ pairs once the RC pair is up, one process creating QPs at a time, so that each SRQ's QPNs are
# consecutive: -q 2 gives a MIN/MAX range, -q 1 a single LQPN, the two shapes iproute2 6.1 prints
# differently (model/srq-qps.ts). A server has created its QPs when it listens. The kernel keeps 15
# characters of a comm: ibv_srq_pingpon.
srq_pair() {
  nice -n 19 ibv_srq_pingpong -e -d rxe0 -g ${RXE_IPV4_GID} -p $1 -q $2 -n 1000000000 > /tmp/srq-s$1.log 2>&1 & SRV=$!
  i=0; until ss -Hltn "sport = :$1" | grep -q .; do
    i=$((i+1)); [ $i -le 100 ] && kill -0 $SRV 2>/dev/null || { echo "lab: ibv_srq_pingpong -p $1 did not listen"; exit 12; }
    sleep 0.1
  done
  nice -n 19 ibv_srq_pingpong -e -d rxe0 -g ${RXE_IPV4_GID} -p $1 -q $2 -n 1000000000 127.0.0.1 > /tmp/srq-c$1.log 2>&1 & CLI=$!
  i=0; until [ "$(qp_count RTS ibv_srq_pingpon)" -ge $3 ]; do
    i=$((i+1)); [ $i -le 30 ] && kill -0 $CLI 2>/dev/null ||
      { echo "lab: ibv_srq_pingpong -p $1 did not connect"; cat /tmp/srq-s$1.log /tmp/srq-c$1.log; exit 12; }
    sleep 0.5
  done
}
srq_pair 18516 2 4; QSPID=$SRV; QCPID=$CLI
srq_pair 18517 1 6; Q1SPID=$SRV; Q1CPID=$CLI
printf 'SPID=%s\\nCPID=%s\\nWSPID=%s\\nWCPID=%s\\nPSPID=%s\\nPCPID=%s\\nQSPID=%s\\nQCPID=%s\\nQ1SPID=%s\\nQ1CPID=%s\\n' \\
  $SPID $CPID $WSPID $WCPID $PSPID $PCPID $QSPID $QCPID $Q1SPID $Q1CPID >> $LAB_VARS
# The server SRQ's QPN range, for lqpn filters that split it.
rdma res show srq pid $QSPID | sed -n 's/.* lqpn \\([0-9]*\\)-\\([0-9]*\\) .*/SRQLO=\\1\\nSRQHI=\\2/p' >> $LAB_VARS
# An RC QP on rxe0 for the counter bind cases.
echo "RCQP=$(rdma res show qp link rxe0/1 type RC | head -n 1 | sed 's/.* lqpn \\([0-9]*\\) .*/\\1/')" >> $LAB_VARS
`,
  freeze: `${VARS}; . $LAB_VARS; kill -STOP ${RPING_PIDS}; ${SETTLE}`,
  teardown: `${VARS}; . $LAB_VARS; kill -CONT ${RPING_PIDS} 2>/dev/null; kill ${RPING_PIDS} 2>/dev/null; wait 2>/dev/null; true`,
};

/**
 * rxe caps a CQ near 32k entries and perftest sizes one CQ as QPs x tx-depth: 1000 x 16.
 * Readiness is 2000 connected QPs (client RTS, server RTR: a write_bw server never
 * sends), not perftest's banner: its stdout is a file, so the banner sits in a
 * stdio buffer until it exits.
 */
export const SCALE: Scenario = {
  name: 'scale',
  describe: 'ib_write_bw with 1000 QPs on each side over rxe0: 2001 QPs',
  setup: `${VARS}
ib_write_bw -d rxe0 -x 1 -q 1000 -t 16 -D 3600 > /tmp/bw-s.log 2>&1 & BSPID=$!
sleep 1
ib_write_bw -d rxe0 -x 1 -q 1000 -t 16 -D 3600 127.0.0.1 > /tmp/bw-c.log 2>&1 & BCPID=$!
i=0; until [ "$(rdma res show qp link rxe0/1 | grep -cE ' state (RTR|RTS) ')" -ge 2000 ]; do
  i=$((i+1)); [ $i -le 120 ] && kill -0 $BCPID 2>/dev/null ||
    { echo "lab: ib_write_bw did not bring up 2000 QPs"; tail -5 /tmp/bw-s.log /tmp/bw-c.log; exit 13; }
  sleep 1
done
printf 'BSPID=%s\\nBCPID=%s\\n' $BSPID $BCPID >> $LAB_VARS
`,
  freeze: `${VARS}; . $LAB_VARS; kill -STOP $BSPID $BCPID; ${SETTLE}`,
  teardown: `${VARS}; . $LAB_VARS; kill -CONT $BSPID $BCPID 2>/dev/null; kill $BSPID $BCPID 2>/dev/null; wait 2>/dev/null; true`,
};

/** A Kubernetes pod as a node shows it: its cgroup (systemd driver, containerd) and containerd's OCI annotations. */
export const LAB_POD = {
  uid: '7a1f9b2c-3d4e-4f50-8a6b-9c0d1e2f3a4b', namespace: 'team-a', name: 'rdma-client', container: 'rping',
  id: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
};
const POD_SLICE = `kubepods-besteffort-pod${LAB_POD.uid.replace(/-/g, '_')}.slice`;
const POD_CGROUP = `/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/${POD_SLICE}/cri-containerd-${LAB_POD.id}.scope`;
const POD_STATE = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${LAB_POD.id}`;
/** containerd's task config for the lab pod: the annotations attribution.ts names the pod and container from. */
const POD_STATE_JSON = `printf '%s' '${JSON.stringify({ ociVersion: '1.0.2', annotations: {
  'io.kubernetes.cri.container-type': 'container', 'io.kubernetes.cri.sandbox-name': LAB_POD.name,
  'io.kubernetes.cri.sandbox-namespace': LAB_POD.namespace, 'io.kubernetes.cri.container-name': LAB_POD.container,
} })}' > ${POD_STATE}/config.json`;

/**
 * Live counters for top: per-QP counters need rdma_rxe_lab (stock rxe cannot
 * allocate them), auto mode by PID binds each new QP to its process's counter.
 * rping's client runs in a pod's cgroup. rxe loopback traffic never reaches
 * the netdev, so pings to a static neighbour give veth0 bytes of its own.
 * rxe2 (on veth1, next to siw0) stays in mode off, for --bind-auto.
 */
export const COUNTERS: Scenario = {
  name: 'counters',
  describe: 'rxe0 on rdma_rxe_lab (per-QP counters) in QP counter auto pid mode, rping over it with the client in a ' +
    'Kubernetes-style pod cgroup, ~100 KB/s of pings out of veth0, rxe2 on veth1 in mode off; traffic live',
  setup: `${VARS}; ${WAIT_FOR}
rdma link delete rxe0 && { modprobe -r rdma_rxe; modprobe rdma_rxe_lab; } || { echo "lab: cannot swap in rdma_rxe_lab"; exit 16; }
rdma link add rxe0 type rxe netdev veth0 && rdma link add rxe2 type rxe netdev veth1 || exit 16
rdma statistic qp set link rxe0/1 auto pid on || exit 16
mkdir -p ${POD_CGROUP} ${POD_STATE} || exit 16
${POD_STATE_JSON}
nice -n 19 rping -s -a 10.99.0.1 -v -C 100000000 > /tmp/crp-s.log 2>&1 & CSPID=$!
sleep 1
nice -n 19 sh -c 'echo $$ > ${POD_CGROUP}/cgroup.procs && exec rping -c -a 10.99.0.1 -v -C 100000000' > /tmp/crp-c.log 2>&1 & CCPID=$!
wait_for /tmp/crp-c.log ping 100 || { echo "lab: rping over rdma_rxe_lab did not start"; cat /tmp/crp-s.log /tmp/crp-c.log; exit 17; }
ip route add 10.99.0.9/32 dev veth0 && ip neigh replace 10.99.0.9 lladdr 02:00:00:00:00:09 dev veth0 nud permanent || exit 16
busybox ping -q -i 0.01 -s 1000 10.99.0.9 > /dev/null 2>&1 & PNGPID=$!
printf 'CSPID=%s\nCCPID=%s\nPNGPID=%s\n' $CSPID $CCPID $PNGPID >> $LAB_VARS
`,
  teardown: `${VARS}; . $LAB_VARS; kill $CSPID $CCPID $PNGPID 2>/dev/null; wait 2>/dev/null
ip route del 10.99.0.9/32 dev veth0; rdma link delete rxe2; rdma statistic qp set link rxe0/1 auto off; true`,
};

// Stock rxe cannot change namespace (EOPNOTSUPP); rdma_rxe_lab can
// (src/lab/modules.ts). Both register link type "rxe", so swap the modules.
// Exclusive mode must be set while no other namespace exists (else EBUSY).
export const NETNS: Scenario = {
  name: 'netns',
  describe: 'exclusive mode; rxe0 (rdma_rxe_lab) and veth0 moved into named netns ns1; rxe1 on veth2 moved into an unnamed ' +
    'netns (a sleep process); siw0 stays in init_net',
  setup: `${VARS}
rdma link delete rxe0 && modprobe -r rdma_rxe; modprobe rdma_rxe_lab || { echo "lab: cannot swap in rdma_rxe_lab"; exit 14; }
rdma link add rxe0 type rxe netdev veth0 || exit 14
ip link add veth2 address 02:00:00:00:00:03 type veth peer name veth3 address 02:00:00:00:00:04
ip link set veth2 up; ip link set veth3 up
rdma link add rxe1 type rxe netdev veth2 || exit 14
rdma system set netns exclusive || exit 14
ip netns add ns1
rdma dev set rxe0 netns ns1 || exit 15
ip link set veth0 netns ns1 || exit 15
ip -n ns1 addr add 10.99.0.1/24 dev veth0; ip -n ns1 link set veth0 up; ip -n ns1 link set lo up
unshare -n sleep 100000 & UPID=$!
sleep 0.3
ip netns attach tmpns $UPID && rdma dev set rxe1 netns tmpns && ip link set veth2 netns tmpns && ip netns delete tmpns || exit 15
printf 'NS=ns1\\nUPID=%s\\n' $UPID >> $LAB_VARS
`,
  teardown: `${VARS}; . $LAB_VARS
kill $UPID; ip netns delete ns1
sleep 0.5
rdma system set netns shared
true`,
};

/** The GID scenarios' addresses: the RoCE netdev gid0 carries no IP; containers are 10.98.0.N, the peer .254. */
export const GID_NET = { prefix: '10.98.0', peer: '10.98.0.254' };

/**
 * Shell functions for the GID scenarios: a container is a network namespace
 * with a macvlan on gid0 and one IPv4 address, IPv6 address generation off
 * (a link-local would take GIDs of its own). ctr_add NAME N makes a named
 * one (`ip netns add`); ctr_add_unnamed N one held only by a sleep process.
 */
export const CONTAINERS = `
ctr_macvlan() { ip link add mv$1 link gid0 type macvlan mode bridge; }
ctr_ip() { $1 ip link set mv$2 addrgenmode none && $1 ip addr add ${GID_NET.prefix}.$2/24 dev mv$2 && $1 ip link set mv$2 up; }
ctr_add() { ip netns add $1 && ctr_macvlan $2 && ip link set mv$2 netns $1 && ctr_ip "ip netns exec $1" $2; }
ctr_add_unnamed() {
  unshare -n sleep 100000 & U=$!; sleep 0.2
  ctr_macvlan $1 && ip link set mv$1 netns $U && ctr_ip "nsenter --net=/proc/$U/ns/net" $1
}
`;

/** Puts every rxe link away and loads rdma_rxe_gid with a table of $1 slots (the other rxe modules unloaded). */
const RXE_GID = `rxe_gid() {
  for l in $(rdma link show | awk '{ print $2 }' | cut -d/ -f1 | grep '^rxe'); do rdma link delete $l; done
  modprobe -r rdma_rxe_lab rdma_rxe rdma_rxe_gid 2>/dev/null
  modprobe rdma_rxe_gid gid_tbl_len=$1 || { echo "lab: modprobe rdma_rxe_gid failed"; return 1; }
}`;

/**
 * GID tables: rxeg (rdma_rxe_gid: RoCE v1 and v2, 16 slots) on gid0, whose
 * peer gid1 carries rxep and 10.98.0.254 with an rping server. Nine
 * containers (macvlans on gid0): 7 fit (2 default slots + 7 x 2), the 8th
 * and 9th get no GID. ctr3 has a process in a Kubernetes pod's cgroup; the
 * 9th is an unnamed namespace held by a sleep.
 */
export const GIDS: Scenario = {
  name: 'gids',
  describe: 'rxeg (RoCE v1+v2, 16-slot GID table) on gid0 with 9 macvlan containers: 7 with GIDs, 2 stranded (one unnamed); ' +
    'rxep on the peer gid1 10.98.0.254 with an rping server',
  setup: `${VARS}
${CONTAINERS}
${RXE_GID}
rxe_gid 16 || exit 18
ip link add gid0 address 02:00:00:00:01:01 type veth peer name gid1 address 02:00:00:00:01:02 || exit 18
ip link set gid0 up && ip link set gid1 up && ip addr add ${GID_NET.peer}/24 dev gid1 || exit 18
rdma link add rxeg type rxe netdev gid0 && rdma link add rxep type rxe netdev gid1 || exit 18
for i in 1 2 3 4 5 6 7 8; do ctr_add ctr$i $i || exit 18; done
ctr_add_unnamed 9 || exit 18; UCPID=$U
mkdir -p ${POD_CGROUP} ${POD_STATE} || exit 18
${POD_STATE_JSON}
# nsenter, not ip netns exec: that remounts /sys, and the cgroup tree with it.
sh -c 'echo $$ > ${POD_CGROUP}/cgroup.procs && exec nsenter --net=/var/run/netns/ctr3 sleep 100000' & C3PID=$!
nice -n 19 rping -s -a ${GID_NET.peer} -v -C 100000000 > /tmp/gid-rps.log 2>&1 & RPS=$!
sleep 1
printf 'UCPID=%s\nC3PID=%s\nRPS=%s\n' $UCPID $C3PID $RPS >> $LAB_VARS
`,
  teardown: `${VARS}; . $LAB_VARS; kill $UCPID $C3PID $RPS 2>/dev/null; wait 2>/dev/null
for i in 1 2 3 4 5 6 7 8; do ip netns delete ctr$i; done
rdma link delete rxeg; rdma link delete rxep; ip link delete gid0; true`,
};

/**
 * The GID capacity measurement (bench/gid-capacity.ts sets up and tears
 * down its own ports and containers): on a kernel with the roce-gid-types
 * patch only, as it turns RoCE v1 off.
 */
export const CAPACITY: Scenario = {
  name: 'capacity',
  describe: 'containers per port until one gets no RoCE v2 GID: 16- and 256-slot tables, v1+v2, v2 only, v1 off at run time ' +
    '(bench/gid-capacity.ts)',
  setup: 'true',
  teardown: 'ip -all netns delete; pkill -x rping; true',
};

/** The pod's cgroup directory (cgroup v2, systemd driver naming) and the containerd state that names it. */
export const LAB_POD_CGROUP = POD_CGROUP;

/**
 * The RDMA cgroup: a Soft-iWARP device of its own (cgs0 on a dummy netdev),
 * the lab pod's cgroup (containerd names) empty and the rdma controller
 * not enabled below the root, so the checks can show each state.
 */
export const CGROUP: Scenario = {
  name: 'cgroup',
  describe: 'cgs0 (Soft-iWARP on a dummy netdev) and the lab pod\'s empty cgroup, the rdma controller not enabled below the root',
  setup: `modprobe siw 2>/dev/null; modprobe rdma_ucm
ip link add cgd0 address 02:00:00:00:02:01 type dummy && ip link set cgd0 up && rdma link add cgs0 type siw netdev cgd0 || exit 19
mkdir -p ${POD_CGROUP} ${POD_STATE} || exit 19
${POD_STATE_JSON}
d=${POD_CGROUP}; while [ "$d" != /sys/fs/cgroup ]; do d=$(dirname $d); echo -rdma > $d/cgroup.subtree_control 2>/dev/null; done; true`,
  // cgs0 and cgd0 stay: on 6.12 deleting the dummy after siw hangs in unregister_netdevice (a netdev
  // reference siw keeps), and this is the last scenario of the boot.
  teardown: `pkill -x ibv_rc_pingpong; true`,
};

/** In run order. */
export const SCENARIOS: Scenario[] = [NO_RDMA, DEVICES, RPING, SCALE, COUNTERS, NETNS, GIDS, CGROUP];

/** On a lab kernel booted with a kernel patch (test/lab/run.ts): what the patch changes. */
export const PATCHED_SCENARIOS: Scenario[] = [GIDS, CAPACITY];
