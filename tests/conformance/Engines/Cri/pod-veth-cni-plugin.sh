#!/bin/sh
# The CNI plugin of the CRI tests' pods. containerd's CRI plugin wants an eth0 with an address in a pod's network
# namespace; this one makes eth0 as one end of a veth pair whose both ends stay inside that namespace, so nothing
# is added to the host's network and no packet can leave it. The pair goes away with the namespace, so DEL has
# nothing to undo. 192.0.2.0/24 is TEST-NET-1 (RFC 5737), never routed.
set -eu
address=192.0.2.10
case "$CNI_COMMAND" in
ADD)
    nsenter --net="$CNI_NETNS" ip link add "$CNI_IFNAME" type veth peer name "$CNI_IFNAME-peer"
    nsenter --net="$CNI_NETNS" ip address add "$address/32" dev "$CNI_IFNAME"
    nsenter --net="$CNI_NETNS" ip link set "$CNI_IFNAME" up
    printf '{"cniVersion":"0.4.0","interfaces":[{"name":"%s","sandbox":"%s"}],"ips":[{"version":"4","address":"%s/32","interface":0}]}\n' \
        "$CNI_IFNAME" "$CNI_NETNS" "$address"
    ;;
DEL | CHECK) ;;
VERSION) echo '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0"]}' ;;
*)
    echo "{\"cniVersion\":\"0.4.0\",\"code\":4,\"msg\":\"unknown CNI_COMMAND $CNI_COMMAND\"}"
    exit 1
    ;;
esac
