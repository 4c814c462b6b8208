using WeedGo.Core.Common;

namespace WeedGo.Web.Endpoints;

/// <summary>Maps an expected failure to a 4xx with a reason (RFC 7807 problem details).</summary>
public static class HttpErrors
{
    public static IResult ToHttp(this Error error) => Results.Problem(
        title: error.Message,
        statusCode: error.Kind switch
        {
            ErrorKind.NotFound => 404,
            ErrorKind.Forbidden => 403,
            ErrorKind.Conflict or ErrorKind.OutOfStock => 409,
            ErrorKind.TooManyRequests => 429,
            _ => 422,
        },
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });
}
