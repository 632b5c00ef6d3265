using Akka.Actor;

namespace Switchboard.Supervision;

public sealed record Unsubscribe(IActorRef Subscriber);
