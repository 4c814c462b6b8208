using MudBlazor;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Components.Admin.Audit;

/// <summary>How alerts read on screen (UTC, like the rest of the Audit area).</summary>
public static class AlertFormat
{
    public static Color SeverityColor(AuditSeverity s) => s switch
    {
        AuditSeverity.Critical or AuditSeverity.Error => Color.Error,
        AuditSeverity.Warning => Color.Warning,
        _ => Color.Default,
    };

    public static Color StatusColor(AlertStatus s) => s switch
    {
        AlertStatus.Open => Color.Error,
        AlertStatus.Acknowledged => Color.Warning,
        _ => Color.Success,
    };

    public static string Status(AlertRow a) => a.Status switch
    {
        AlertStatus.Open => "open",
        AlertStatus.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC";

    public static string Window(int seconds) => AuditAlertEvaluator.Describe(TimeSpan.FromSeconds(seconds));

    public static string Grouping(AlertGrouping g) => g switch
    {
        AlertGrouping.User => "per user",
        AlertGrouping.Ip => "per IP",
        AlertGrouping.Store => "per store",
        _ => "per tenant",
    };
}
