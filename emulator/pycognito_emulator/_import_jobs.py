"""User import jobs, their configuration side: GetCSVHeader, CreateUserImportJob,
DescribeUserImportJob, ListUserImportJobs, StartUserImportJob, StopUserImportJob.

Jobs are ``pool_documents`` of kind ``import_job`` keyed by JobId (``import-`` and
random letters and digits). The ``PreSignedUrl`` names an emulator address; the
emulator does not take the CSV upload yet, so a started job stays ``Pending`` (waiting
for its file) until StopUserImportJob makes it ``Stopped``. Start needs a ``Created``
job, Stop a ``Pending`` or ``InProgress`` one (PreconditionNotMetException otherwise).
GetCSVHeader lists Cognito's columns: the standard attributes in Cognito's order, the
pool's custom attributes, then ``cognito:mfa_enabled`` and ``cognito:username``.
ListUserImportJobs: newest first, MaxResults 1-60, PaginationToken.
"""

import secrets
import string

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

KIND = "import_job"
HEADER = (
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
    "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
)  # fmt: skip
_JOB_ID = Field("JobId", required=True, min_len=1, max_len=55,
                pattern=(r"^import-[0-9a-zA-Z-]+$", r"import-[0-9a-zA-Z-]+"))  # fmt: skip
_ARN_PATTERN = (
    r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$",
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
)
_ALPHABET = string.ascii_letters + string.digits


@action("GetCSVHeader", fields=[POOL], public=False)
def get_csv_header(ctx, body):
    """GetCSVHeader: the columns of an import file for this pool."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    custom = sorted(name for name in pool["Schema"] if name.startswith("custom:"))
    return {
        "UserPoolId": pool["Id"],
        "CSVHeader": [*HEADER, *custom, "cognito:mfa_enabled", "cognito:username"],
    }


def _job(ctx, pool_id, job_id):
    found = _documents.get(ctx.store, pool_id, KIND, job_id)
    if found is None:
        raise _errors.ResourceNotFound("Import job %s does not exist." % job_id)
    return found[0]


def _save(ctx, pool_id, job):
    _documents.put(ctx.store, pool_id, KIND, job["JobId"], job, ctx.now())
    return {"UserImportJob": job}


@action(
    "CreateUserImportJob",
    fields=[
        Field("JobName", required=True, min_len=1, max_len=128,
              pattern=(r"^[\w\s+=,.@-]+$", r"[\w\s+=,.@-]+")),
        POOL,
        Field("CloudWatchLogsRoleArn", required=True, min_len=20, max_len=2048,
              pattern=_ARN_PATTERN),
        Field("PasswordHashingAlgorithm", choices=["BCRYPT", "SCRYPT", "ARGON2ID",
                                                   "PBKDF2_SHA256"]),
    ],
    public=False,
)  # fmt: skip
def create_user_import_job(ctx, body):
    """CreateUserImportJob: a job in ``Created`` with the URL its CSV goes to."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    job_id = "import-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))
    url = "%s/_emulator/user-import/%s/%s" % (ctx.settings.base_url, pool["Id"], job_id)
    job = {
        "JobName": body["JobName"],
        "JobId": job_id,
        "UserPoolId": pool["Id"],
        "PreSignedUrl": url,
        "CreationDate": ctx.now(),
        "Status": "Created",
        "CloudWatchLogsRoleArn": body["CloudWatchLogsRoleArn"],
        "ImportedUsers": 0,
        "SkippedUsers": 0,
        "FailedUsers": 0,
    }
    if body.get("PasswordHashingAlgorithm"):
        job["PasswordHashingAlgorithm"] = body["PasswordHashingAlgorithm"]
    return _save(ctx, pool["Id"], job)


@action("DescribeUserImportJob", fields=[POOL, _JOB_ID], public=False)
def describe_user_import_job(ctx, body):
    """DescribeUserImportJob: one job."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    return {"UserImportJob": _job(ctx, pool["Id"], body["JobId"])}


@action(
    "ListUserImportJobs",
    fields=[POOL, Field("MaxResults", "integer", required=True),
            Field("PaginationToken", min_len=1, pattern=_documents.NEXT_TOKEN_PATTERN)],
    public=False,
)  # fmt: skip
def list_user_import_jobs(ctx, body):
    """ListUserImportJobs: the pool's jobs, newest first."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _documents.check_range(body, "MaxResults", 1, 60)
    jobs = [document for _, document, _, _ in _documents.all_of(ctx.store, pool["Id"], KIND)]
    chosen, token = _documents.page(
        jobs, lambda job: [-job["CreationDate"], job["JobId"]], body["MaxResults"],
        body.get("PaginationToken"),
    )  # fmt: skip
    answer = {"UserImportJobs": chosen}
    if token:
        answer["PaginationToken"] = token
    return answer


def _precondition(job, wanted):
    if job["Status"] not in wanted:
        raise _errors.ServiceError(
            "PreconditionNotMetException",
            "Import job %s is %s, not %s." % (job["JobId"], job["Status"], " or ".join(wanted)),
        )


@action("StartUserImportJob", fields=[POOL, _JOB_ID], public=False)
def start_user_import_job(ctx, body):
    """StartUserImportJob: a Created job becomes Pending (it waits for its CSV)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    job = _job(ctx, pool["Id"], body["JobId"])
    _precondition(job, ("Created",))
    job["Status"] = "Pending"
    job["StartDate"] = ctx.now()
    return _save(ctx, pool["Id"], job)


@action("StopUserImportJob", fields=[POOL, _JOB_ID], public=False)
def stop_user_import_job(ctx, body):
    """StopUserImportJob: a Pending or InProgress job is Stopped."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    job = _job(ctx, pool["Id"], body["JobId"])
    _precondition(job, ("Pending", "InProgress"))
    job["Status"] = "Stopped"
    job["CompletionDate"] = ctx.now()
    job["CompletionMessage"] = "StoppedByUser"
    return _save(ctx, pool["Id"], job)
