// The guest-side shell for the lab scenarios, shared by the differential
// test and the fixture recorder. Each step names what it sets up.

/** rxe0 on veth0 with live rping traffic, frozen (SIGSTOP) so both tools see one state. */
export const RXE_RPING = `
set -u
ulimit -l unlimited
export KREL=$(uname -r)
modprobe rdma_rxe || exit 10
modprobe -a ib_uverbs rdma_ucm ib_umad
ip link add veth0 type veth peer name veth1
ip addr add 10.99.0.1/24 dev veth0; ip addr add 10.99.0.2/24 dev veth1
ip link set veth0 up; ip link set veth1 up
rdma link add rxe0 type rxe netdev veth0 || exit 11
rping -s -a 10.99.0.1 -v -C 100000000 > /tmp/rping-s.log 2>&1 & SPID=$!
sleep 1
rping -c -a 10.99.0.1 -v -C 100000000 > /tmp/rping-c.log 2>&1 & CPID=$!
i=0; until [ -s /tmp/rping-c.log ] || [ $i -ge 100 ]; do sleep 0.2; i=$((i+1)); done
sleep 1
kill -STOP $CPID $SPID
export SPID CPID
echo "lab: scenario rxe+rping ready (server $SPID, client $CPID)" > /dev/console
`;

export const RXE_RPING_END = `
rc=$?
kill -CONT $CPID $SPID 2>/dev/null; kill $CPID $SPID 2>/dev/null
(exit $rc)
`;
