"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

The examples are checked against real answers in tests/test_openapi.py, so they cannot drift.
"""

HOUSEHOLD_UUID = "5b0c6f43-8d55-4a9c-9a57-0d1f3c2b7e10"
RESIDENT_UUID = "a4e7c1d2-3b4f-4c5d-8e6f-7a8b9c0d1e2f"
RECORD_UUID = "0f9e8d7c-6b5a-4c3d-9e1f-2a3b4c5d6e7f"
EXAMPLE_GROUP_ID = 1

_UUID = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
_NULLABLE_TEXT = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(example_code: str, message: str) -> dict:
    return {
        "content": {
            "application/json": {
                "schema": _ref("Error"),
                "example": {"error": example_code, "message": message},
            }
        }
    }


def _error_status(status: int, message: str) -> dict:
    """The app's own error pages answer JSON under /api/ with the status as the error code."""
    return {
        "content": {
            "application/json": {
                "schema": _ref("Error"),
                "example": {"error": status, "message": message},
            }
        }
    }


PUSH_EXAMPLE = {
    "items": [
        {
            "type": "household",
            "uuid": HOUSEHOLD_UUID,
            "group_id": EXAMPLE_GROUP_ID,
            "address": "K12/4 Hà Huy Tập",
            "head_name": "Phan Văn Tài",
            "phone": "0905111222",
            "consent": True,
        },
        {
            "type": "resident",
            "uuid": RESIDENT_UUID,
            "household_uuid": HOUSEHOLD_UUID,
            "full_name": "Phan Văn Tài",
            "birth_year": 1968,
        },
        {
            "type": "record",
            "uuid": RECORD_UUID,
            "household_uuid": HOUSEHOLD_UUID,
            "resident_uuids": [RESIDENT_UUID],
            "kind": "eid_level2",
            "outcome": "pending",
            "reason": "Chờ công an xác thực",
            "place": "home",
            "minutes": 15,
            "client_time": "2026-03-02T02:15:00+00:00",
        },
        {"type": "record", "uuid": "not-a-uuid", "kind": "guidance"},
    ]
}

SERVER_EXAMPLE = {"identity": "5b0e7f62-3c1d-4f7a-9a43-0d6c2b8e1f90", "high_water": 58}
PUSH_RESPONSE_EXAMPLE = {
    "server": SERVER_EXAMPLE,
    "results": [
        {"uuid": HOUSEHOLD_UUID, "type": "household", "status": "accepted", "id": 3001},
        {"uuid": RESIDENT_UUID, "type": "resident", "status": "accepted", "id": 9102},
        {"uuid": RECORD_UUID, "type": "record", "status": "accepted", "id": 57},
        {
            "uuid": None,
            "type": "record",
            "status": "rejected",
            "reason": "invalid_field",
            "field": "uuid",
        },
    ],
    "server_time": "2026-03-02T02:16:04.120000+00:00",
}

PULL_EXAMPLE = {
    "server": SERVER_EXAMPLE,
    "cursor": "2026-03-02T02:11:04.120000+00:00",
    "full": True,
    "server_time": "2026-03-02T02:16:04.120000+00:00",
    "ward": {"id": 1, "name": "Thanh Khê Đông"},
    "groups": [{"id": 1, "number": 1, "name": "Tổ 1"}],
    "procedures": [{"id": 1, "name": "Đăng ký khai sinh", "mode": "toan_trinh", "active": True}],
    "shifts": [],
    "households": [
        {
            "id": 3001,
            "uuid": HOUSEHOLD_UUID,
            "group_id": 1,
            "address": "K12/4 Hà Huy Tập",
            "head_name": "Phan Văn Tài",
            "phone": "0905111222",
            "consent": True,
        }
    ],
    "residents": [
        {
            "uuid": RESIDENT_UUID,
            "household_uuid": HOUSEHOLD_UUID,
            "full_name": "Phan Văn Tài",
            "birth_year": 1968,
            "eid_level": 1,
        }
    ],
    "deleted": {"households": [], "residents": []},
    "followups": [],
    "recent": [],
}


def _schemas() -> dict:
    record_summary = {
        "type": "object",
        "required": ["uuid", "id", "household_uuid", "resident_uuids", "kind", "outcome"],
        "properties": {
            "uuid": _UUID,
            "id": {"type": "integer"},
            "household_uuid": _UUID,
            "resident_uuids": {"type": "array", "items": _UUID},
            "kind": _ref("Kind"),
            "procedure_id": {"type": ["integer", "null"]},
            "mode": {"type": ["string", "null"]},
            "outcome": _ref("Outcome"),
            "reason": _NULLABLE_TEXT,
            "place": _ref("Place"),
            "client_time": {"type": "string", "format": "date-time"},
            "volunteer": {"type": "string"},
        },
    }
    return {
        "Kind": {
            "type": "string",
            "enum": [
                "eid_level1",
                "eid_level2",
                "eid_activated",
                "eid_signin_help",
                "dossier",
                "guidance",
            ],
        },
        "Outcome": {"type": "string", "enum": ["done", "pending", "failed"]},
        "Place": {"type": "string", "enum": ["desk", "home", "other"]},
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": ["string", "integer"]}, "message": {"type": "string"}},
        },
        "TooLarge": {
            "type": "object",
            "required": ["error", "message", "max_bytes", "max_items"],
            "properties": {
                "error": {"const": "too_large"},
                "message": {"type": "string"},
                "max_bytes": {"type": "integer"},
                "max_items": {"type": "integer"},
            },
        },
        "HouseholdItem": {
            "type": "object",
            "description": "A household created on the phone. Without consent no name, phone or note is kept.",
            "required": ["type", "uuid", "group_id", "address"],
            "properties": {
                "type": {"const": "household"},
                "uuid": _UUID,
                "group_id": {"type": "integer"},
                "address": {"type": "string", "maxLength": 200},
                "head_name": {"type": ["string", "null"], "maxLength": 120},
                "phone": {"type": ["string", "null"]},
                "note": {"type": ["string", "null"], "maxLength": 500},
                "consent": {"type": "boolean"},
            },
        },
        "ResidentItem": {
            "type": "object",
            "required": ["type", "uuid", "household_uuid", "birth_year"],
            "properties": {
                "type": {"const": "resident"},
                "uuid": _UUID,
                "household_uuid": _UUID,
                "full_name": {"type": ["string", "null"], "maxLength": 120},
                "birth_year": {"type": "integer", "minimum": 1900},
                "eid_level": {"type": "integer", "minimum": 0, "maximum": 2},
            },
        },
        "RecordItem": {
            "type": "object",
            "description": (
                "An assistance record. reason is required unless outcome is done; procedure_id "
                "only (and always) for kind dossier. resolves names a pending record it closes."
            ),
            "required": [
                "type",
                "uuid",
                "household_uuid",
                "kind",
                "outcome",
                "place",
                "client_time",
            ],
            "properties": {
                "type": {"const": "record"},
                "uuid": _UUID,
                "household_uuid": _UUID,
                "resident_uuids": {"type": "array", "items": _UUID, "maxItems": 30},
                "kind": _ref("Kind"),
                "procedure_id": {"type": ["integer", "null"]},
                "mode": {"enum": ["toan_trinh", "mot_phan", None]},
                "dossier_code": {"type": ["string", "null"], "maxLength": 40},
                "outcome": _ref("Outcome"),
                "reason": {"type": ["string", "null"], "maxLength": 300},
                "place": _ref("Place"),
                "shift_id": {"type": ["integer", "null"]},
                "minutes": {"type": ["integer", "null"], "minimum": 0, "maximum": 600},
                "client_time": {"type": "string", "format": "date-time"},
                "resolves": {"oneOf": [_UUID, {"type": "null"}]},
            },
        },
        "PushRequest": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {
                    "type": "array",
                    "maxItems": 500,
                    "description": "Items of any shape are answered one by one; see PushResult.",
                    "items": {"type": "object"},
                }
            },
        },
        "PushResult": {
            "type": "object",
            "required": ["uuid", "type", "status"],
            "properties": {
                "uuid": {"oneOf": [_UUID, {"type": "null"}]},
                "type": {"enum": ["household", "resident", "record", None]},
                "status": {"enum": ["accepted", "duplicate", "conflict", "rejected"]},
                "id": {"type": "integer", "description": "The stored row (accepted, duplicate)."},
                "reason": {
                    "enum": [
                        "invalid_field",
                        "missing_field",
                        "invalid_type",
                        "unknown",
                        "uuid_reused",
                        "storage_error",
                    ]
                },
                "field": {"type": "string"},
            },
        },
        "ServerState": {
            "type": "object",
            "description": (
                "Which copy of the database answered. 'identity' changes when it is restored "
                "from a backup; 'high_water' never goes down on a live database. A phone that "
                "sees a new identity or a lower mark sends again what it kept and pulls afresh."
            ),
            "required": ["identity", "high_water"],
            "properties": {
                "identity": {"type": "string"},
                "high_water": {"type": "integer", "minimum": 0},
            },
        },
        "PushResponse": {
            "type": "object",
            "required": ["results", "server_time", "server"],
            "properties": {
                "server": _ref("ServerState"),
                "results": {"type": "array", "items": _ref("PushResult")},
                "server_time": {"type": "string", "format": "date-time"},
            },
        },
        "RecordSummary": record_summary,
        "PullResponse": {
            "type": "object",
            "required": [
                "cursor",
                "full",
                "ward",
                "groups",
                "procedures",
                "households",
                "residents",
                "deleted",
                "followups",
                "recent",
                "server",
            ],
            "properties": {
                "server": _ref("ServerState"),
                "cursor": {"type": "string", "description": "Opaque; send it back as ?cursor="},
                "full": {"type": "boolean"},
                "scope": {
                    "type": ["array", "null"],
                    "items": {"type": "integer"},
                    "description": "Group ids the copy covers (a volunteer's); null: the whole "
                    "ward. Send it back as ?scope=1,2,3 with the cursor.",
                },
                "server_time": {"type": "string", "format": "date-time"},
                "ward": {"type": "object", "required": ["id", "name"]},
                "groups": {"type": "array", "items": {"type": "object"}},
                "procedures": {"type": "array", "items": {"type": "object"}},
                "shifts": {"type": "array", "items": {"type": "object"}},
                "households": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "uuid", "group_id", "address", "consent"],
                    },
                },
                "residents": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["uuid", "household_uuid", "birth_year", "eid_level"],
                    },
                },
                "deleted": {
                    "type": "object",
                    "required": ["households", "residents"],
                    "properties": {
                        "households": {"type": "array", "items": _UUID},
                        "residents": {"type": "array", "items": _UUID},
                    },
                },
                "followups": {"type": "array", "items": _ref("RecordSummary")},
                "recent": {"type": "array", "items": _ref("RecordSummary")},
            },
        },
    }


def document() -> dict:
    unauthorized = {
        "description": "No session: JSON, never a redirect to the login page.",
        **_error("unauthorized", "Phiên đăng nhập đã hết hạn."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thanh niên 24/7 sync API",
            "version": "1",
            "description": (
                "Uses the browser session (cookie). POST requests carry the header X-CSRFToken "
                'with a token from /api/v1/csrf; a CSRF failure answers 400 with error "csrf".'
            ),
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
        "security": [{"session": []}],
        "paths": {
            "/api/v1/csrf": {
                "get": {
                    "operationId": "csrfToken",
                    "summary": "A fresh CSRF token for the next push",
                    "responses": {
                        "200": {
                            "description": "The token",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["csrf_token", "server"],
                                        "properties": {
                                            "csrf_token": {"type": "string"},
                                            "server": {"type": "object"},
                                        },
                                    },
                                    "example": {
                                        "csrf_token": "IjA1ZjM4ZDk5Yi4uLiI.aB3xYw.sig",
                                        "server": SERVER_EXAMPLE,
                                    },
                                }
                            },
                            "links": {
                                "PushWithToken": {
                                    "operationId": "pushItems",
                                    "parameters": {
                                        "header.X-CSRFToken": "$response.body#/csrf_token"
                                    },
                                }
                            },
                        },
                        "401": unauthorized,
                    },
                }
            },
            "/api/v1/pull": {
                "get": {
                    "operationId": "pullChanges",
                    "summary": "The ward's offline copy, whole or changed since a cursor",
                    "parameters": [
                        {
                            "name": "cursor",
                            "in": "query",
                            "description": "The cursor of the previous pull (a time, 1900–2100).",
                            "schema": {
                                "type": "string",
                                "format": "date-time",
                                "pattern": "^(19|20)[0-9]{2}-",
                            },
                        },
                        {
                            "name": "scope",
                            "in": "query",
                            "description": "With a cursor: the groups the phone holds, the "
                            "answer's last 'scope' joined by commas. Missing or unreadable "
                            "for a volunteer: a full copy.",
                            "schema": {"type": "string", "pattern": "^[0-9,]*$"},
                        },
                        {
                            "name": "ward",
                            "in": "query",
                            "description": "Admins only: which ward.",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Gzip-encoded when the client accepts it.",
                            "content": {
                                "application/json": {
                                    "schema": _ref("PullResponse"),
                                    "example": PULL_EXAMPLE,
                                }
                            },
                            "links": {
                                "PullSinceCursor": {
                                    "operationId": "pullChanges",
                                    "description": "The next pull: only what changed since.",
                                    "parameters": {
                                        "query.cursor": "$response.body#/cursor",
                                        "query.ward": "$response.body#/ward/id",
                                    },
                                }
                            },
                        },
                        "400": {
                            "description": (
                                "Bad cursor (unreadable, without offset, outside 1900–2100), a "
                                "ward that is not a positive integer, control characters, or an "
                                "admin who named no ward"
                            ),
                            **_error(
                                "bad_cursor", "Mốc đồng bộ không hợp lệ; hãy tải lại toàn bộ."
                            ),
                        },
                        "401": unauthorized,
                        "404": {
                            "description": "The admin named a ward that does not exist",
                            **_error_status(404, "Trang hoặc bản ghi này không tồn tại."),
                        },
                    },
                }
            },
            "/api/v1/push": {
                "post": {
                    "operationId": "pushItems",
                    "summary": "Send queued items; each gets its own answer",
                    "description": (
                        "Idempotent by UUID: the same item again is 'duplicate' with the stored id; "
                        "another item with a used UUID is 'conflict' (also a household or resident "
                        "made on the web under that UUID; 'duplicate' when it holds the same). Valid "
                        "items are stored in one transaction even when others are rejected; an item "
                        "the database refuses is 'rejected' with reason 'storage_error'. 500 only "
                        "when the database itself fails: send the batch again later."
                    ),
                    "parameters": [
                        {
                            "name": "X-CSRFToken",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": _ref("PushRequest"),
                                "example": PUSH_EXAMPLE,
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One result per item, in order",
                            "content": {
                                "application/json": {
                                    "schema": _ref("PushResponse"),
                                    "example": PUSH_RESPONSE_EXAMPLE,
                                }
                            },
                            "links": {
                                "PullAfterPush": {
                                    "operationId": "pullChanges",
                                    "description": "What changed on the server since the push.",
                                    "parameters": {"query.cursor": "$response.body#/server_time"},
                                }
                            },
                        },
                        "400": {
                            "description": (
                                "Not a JSON object with items (JSON nested deeper than 32 levels "
                                "is not read), or a CSRF failure"
                            ),
                            **_error("csrf", "Mã bảo mật đã hết hạn, hãy thử lại."),
                        },
                        "401": unauthorized,
                        "403": {
                            "description": "The ward officer's role does not log assistance",
                            **_error_status(403, "Vai trò của bạn không mở được trang này."),
                        },
                        "413": {
                            "description": "Body over 1 MB or more than 500 items",
                            "content": {
                                "application/json": {
                                    "schema": _ref("TooLarge"),
                                    "example": {
                                        "error": "too_large",
                                        "message": "Gói dữ liệu quá lớn; hãy gửi ít bản ghi hơn mỗi lần.",
                                        "max_bytes": 1048576,
                                        "max_items": 500,
                                    },
                                }
                            },
                        },
                    },
                }
            },
        },
    }
