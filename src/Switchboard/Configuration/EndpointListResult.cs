using System.Collections.Immutable;

namespace Switchboard.Configuration;

/// <summary>The well-formed endpoints of a list, and what was wrong with the others.</summary>
internal sealed record EndpointListResult(ImmutableArray<EndpointSettings> Endpoints, ImmutableArray<ConfigProblem> Problems);
