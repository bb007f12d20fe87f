using Metrix.Tests.Support;

namespace Metrix.Prometheus.Tests;

/// <summary>The Prometheus client refuses a bad setting where it is set (see <see cref="ClientSettingRules"/>).</summary>
public sealed class PrometheusClientSettingsTests
{
    [Fact]
    public void PrometheusRemoteWriteClient_refuses_bad_settings_where_they_are_set() =>
        ClientSettingRules.Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(() => new PrometheusRemoteWriteClient());
}
