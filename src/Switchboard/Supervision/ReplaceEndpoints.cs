using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>
/// Replaces the whole endpoint set (a config reload): unchanged endpoints keep their live links untouched,
/// removed ones close with close_notify, new ones start. Answered with <see cref="EndpointsReplaced"/>.
/// </summary>
public sealed record ReplaceEndpoints(IReadOnlyList<EndpointSettings> Endpoints);
