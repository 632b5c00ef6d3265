using Akka.Actor;

namespace Switchboard.Supervision;

/// <summary>An endpoint's status after a transition, pushed to the supervisor so GetStatus never waits on endpoints.</summary>
internal sealed record EndpointReport(EndpointStatus Status, IActorRef Endpoint);
