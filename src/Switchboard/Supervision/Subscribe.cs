using Akka.Actor;

namespace Switchboard.Supervision;

/// <summary>Subscribes an actor to <see cref="Received"/> frames (and <see cref="EndpointStateChanged"/> if asked).</summary>
public sealed record Subscribe(IActorRef Subscriber, bool StateChanges = false);
