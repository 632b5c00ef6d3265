using Akka.Actor;
using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>What every endpoint actor shares: settings, the IO pool, the cache, the admission gate, the TLS context.</summary>
internal sealed record EndpointContext(
    SwitchboardSettings Settings,
    IActorRef Supervisor,
    IActorRef IoPool,
    IActorRef? Cache,
    AdmissionGate Admission,
    ClientTls Tls,
    Random Random);
