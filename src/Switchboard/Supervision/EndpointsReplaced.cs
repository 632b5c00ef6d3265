using System.Collections.Immutable;

namespace Switchboard.Supervision;

public sealed record EndpointsReplaced(int Added, int Removed, int Unchanged, ImmutableArray<EndpointRejected> Rejected);
