using Akka.Actor;

namespace Switchboard.Supervision;

internal sealed record EndpointGone(string Name, IActorRef Endpoint);
