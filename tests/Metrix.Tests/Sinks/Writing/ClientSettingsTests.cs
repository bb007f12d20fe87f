using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.Writing;

/// <summary>The clients of this package refuse a bad setting where it is set (see <see cref="ClientSettingRules"/>).</summary>
public sealed class ClientSettingsTests
{
    [Fact]
    public void OpenTsdbClient_refuses_bad_settings_where_they_are_set() =>
        ClientSettingRules.Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(() => new OpenTsdbClient(), ("Port", 0), ("Port", 65536), ("Host", " "));

    [Fact]
    public void InfluxDbClient_refuses_bad_settings_where_they_are_set() =>
        ClientSettingRules.Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(() => new InfluxDbClient());

    [Fact]
    public void GraphiteClient_refuses_bad_settings_where_they_are_set() =>
        ClientSettingRules.Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(() => new GraphiteClient(), ("Port", 0), ("Port", 65536), ("Host", ""));
}
