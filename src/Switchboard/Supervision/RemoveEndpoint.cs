namespace Switchboard.Supervision;

/// <summary>Removes an endpoint: its link closes with close_notify, its queued sends fail with <see cref="SendFailed"/>.</summary>
public sealed record RemoveEndpoint(string Name);
