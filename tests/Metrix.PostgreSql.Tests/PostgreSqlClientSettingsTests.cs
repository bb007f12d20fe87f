using Metrix.Tests.Support;

namespace Metrix.PostgreSql.Tests;

/// <summary>The PostgreSQL client refuses a bad setting where it is set (see <see cref="ClientSettingRules"/>).</summary>
public sealed class PostgreSqlClientSettingsTests
{
    [Fact]
    public void PostgreSqlClient_refuses_bad_settings_where_they_are_set() =>
        ClientSettingRules.Every_bad_setting_is_refused_where_it_is_set_and_changes_nothing(() => new PostgreSqlClient(), ("Table", "points; DROP TABLE x"));
}
