namespace RuntimeProfiling.IntegrationTests.Prometheus;

/// <summary>The tests that share one Prometheus server; they force collections, so they also run apart from other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrometheusServerGroup : ICollectionFixture<PrometheusServerFixture>
{
    public const string Name = "Prometheus server";
}
