namespace Switchboard.Supervision;

/// <summary>The admission gate's answer: this endpoint may handshake now, until it releases the ticket.</summary>
internal sealed record SlotGranted(long Ticket);
