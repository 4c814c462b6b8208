namespace WeedGo.Core.Common;

/// <summary>Kinds of expected failure; each maps to a message a person understands and an HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    OutOfStock,
    OverPurchaseLimit,
    StoreClosed,
    UnderAge,
    /// <summary>A rate limit refused it for now (HTTP 429).</summary>
    TooManyRequests,
}

/// <summary>An expected failure: a stable code, a sentence for people, and its kind.</summary>
public sealed record Error(string Code, string Message, ErrorKind Kind = ErrorKind.Validation)
{
    public static Error NotFound(string what) => new("not_found", $"{what} was not found.", ErrorKind.NotFound);
    public static Error Forbidden(string message = "You are not allowed to do that.") => new("forbidden", message, ErrorKind.Forbidden);
    public static Error Validation(string message) => new("invalid", message, ErrorKind.Validation);
    public static Error Conflict(string message) => new("conflict", message, ErrorKind.Conflict);
}

/// <summary>Outcome of a command without a value.</summary>
public class Result
{
    protected Result(Error? error) => Error = error;

    public Error? Error { get; }
    public bool Succeeded => Error is null;

    public static Result Ok() => new(null);
    public static Result Fail(Error error) => new(error);
    public static Result<T> Ok<T>(T value) => Result<T>.Ok(value);

    public static implicit operator Result(Error error) => Fail(error);
}

/// <summary>Outcome of a command that returns a value on success.</summary>
public sealed class Result<T> : Result
{
    private readonly T? _value;

    private Result(T? value, Error? error) : base(error) => _value = value;

    public T Value => Succeeded ? _value! : throw new InvalidOperationException($"No value: {Error!.Message}");

    public static Result<T> Ok(T value) => new(value, null);
    public static new Result<T> Fail(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Error error) => Fail(error);
}
