using System.Collections.Immutable;
using Akka.Actor;
using Switchboard.Configuration;

namespace Switchboard.Supervision;

// The supervisor's public protocol: what an application tells it and what it answers. Status records are in
// Status.cs; messages between Switchboard's own actors are nested in the actor that receives them.

/// <summary>
/// Sends one frame to an endpoint. Delivered in order on the live link; held in a bounded queue while the
/// endpoint is down. If it cannot be delivered the sender gets <see cref="SendFailed"/> — never silence.
/// </summary>
public sealed record Send(string Endpoint, ReadOnlyMemory<byte> Payload);

/// <summary>The answer to a <see cref="Send"/> that was not delivered: queue full, endpoint unknown or removed, send-timeout.</summary>
public sealed record SendFailed(string Endpoint, ReadOnlyMemory<byte> Payload, string Reason);

/// <summary>
/// A frame an endpoint sent us, told to every subscriber. Answer each with <see cref="Ack"/>
/// (<c>Sender.Tell(received.Ack)</c>) once it is dealt with: frames not yet acknowledged are bounded by
/// <c>switchboard.io.receive-window</c>, and at that bound links stop reading until subscribers catch up.
/// </summary>
public sealed record Received(string Endpoint, byte[] Payload)
{
    /// <summary>The acknowledgement of this frame, for the <c>Sender</c> of the <see cref="Received"/>.</summary>
    public ReceivedAck Ack => new(Payload.Length);
}

/// <summary>A subscriber has dealt with a <see cref="Received"/> of <paramref name="Bytes"/> bytes: its room in the receive window is free again.</summary>
public sealed record ReceivedAck(int Bytes);

/// <summary>
/// Subscribes an actor to <see cref="Received"/> frames (and <see cref="EndpointStateChanged"/> if asked).
/// A subscriber must acknowledge each frame (<see cref="Received.Ack"/>); one that stops doing so holds
/// every link back at the receive window, as a slow consumer should, until it catches up or unsubscribes.
/// </summary>
public sealed record Subscribe(IActorRef Subscriber, bool StateChanges = false);

/// <summary>Ends a <see cref="Subscribe"/>; a subscriber that stops is unsubscribed by itself.</summary>
public sealed record Unsubscribe(IActorRef Subscriber);

/// <summary>Published to state subscribers on every lifecycle transition.</summary>
public sealed record EndpointStateChanged(string Endpoint, EndpointState State, string? LastError);

/// <summary>Adds one endpoint. A duplicate or malformed one is answered with <see cref="EndpointRejected"/>.</summary>
public sealed record AddEndpoint(EndpointSettings Endpoint);

/// <summary>The answer to an <see cref="AddEndpoint"/> that started the endpoint.</summary>
public sealed record EndpointAdded(string Name);

/// <summary>An endpoint that was not added, and why (duplicate name, malformed host or port).</summary>
public sealed record EndpointRejected(string Name, string Reason);

/// <summary>Removes an endpoint: its link closes with close_notify, its queued sends fail with <see cref="SendFailed"/>.</summary>
public sealed record RemoveEndpoint(string Name);

/// <summary>The answer to a <see cref="RemoveEndpoint"/> of an endpoint that existed.</summary>
public sealed record EndpointRemoved(string Name);

/// <summary>
/// Replaces the whole endpoint set (a config reload): unchanged endpoints keep their live links untouched,
/// removed ones close with close_notify, new ones start. Answered with <see cref="EndpointsReplaced"/>.
/// </summary>
public sealed record ReplaceEndpoints(IReadOnlyList<EndpointSettings> Endpoints);

/// <summary>What a <see cref="ReplaceEndpoints"/> changed; an endpoint whose address changed counts as removed and added.</summary>
public sealed record EndpointsReplaced(int Added, int Removed, int Unchanged, ImmutableArray<EndpointRejected> Rejected);

/// <summary>Asks the supervisor for a <see cref="StatusReport"/>; answered from memory, so it stays fast during a storm.</summary>
public sealed record GetStatus
{
    public static readonly GetStatus Instance = new();
}

/// <summary>What <see cref="SwitchboardRuntime.ReloadAsync"/> changed.</summary>
/// <param name="TlsProblem">Why the new TLS material was refused (the old stays in use), or null when it was applied.</param>
public sealed record ReloadResult(EndpointsReplaced Endpoints, string? TlsProblem);
