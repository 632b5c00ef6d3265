namespace Switchboard.Tls;

/// <summary>
/// The ticket keys a server context knows at one moment. New tickets are sealed with <see cref="Current"/>;
/// tickets sealed with <see cref="Previous"/> or <see cref="Next"/> still open (and get renewed), so a
/// rotation never turns a resumable client into a full handshake.
/// </summary>
internal sealed record TicketKeySet(TicketKey? Previous, TicketKey Current, TicketKey? Next);
